import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { notFound } from "@/lib/kernel/errors";
import { emailSchema, orgNameSchema } from "@/lib/accounts/schemas";

/** `--email E` (a user's own account) or `--org N` (an organization's), exactly one. */
export const accountFlags = {
  email: emailSchema.optional(),
  org: orgNameSchema.optional(),
};
export const exactlyOneAccount = (f: { email?: string; org?: string }) => Boolean(f.email) !== Boolean(f.org);
export const exactlyOneAccountMessage = { message: "Name the account with exactly one of --email or --org." };

export async function resolveAccount(db: Db, f: { email?: string; org?: string }) {
  const account = f.email
    ? await db.billingAccount.findFirst({ where: { user: { email: f.email } } })
    : await db.billingAccount.findFirst({ where: { org: { name: f.org } } });
  if (!account) throw notFound(f.email ? `User ${f.email}` : `Organization ${f.org}`);
  return account;
}

export const isoInstant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
