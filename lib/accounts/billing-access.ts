import type { Db } from "@/lib/db/prisma";
import { resolveOrgAccess } from "@/lib/accounts/access";

export interface BillingAccountRef {
  accountId: string;
  kind: "user" | "org";
  /** The org's URL name, for org accounts. */
  org: string | null;
}

/**
 * Whose billing a request may see and change: the caller's own account, or, when an org is
 * named, that org's, for its admins only (billing is an admin matter; members get 403).
 */
export async function resolveBillingAccount(
  db: Db,
  input: { userId: string; org: string | null },
): Promise<BillingAccountRef> {
  if (input.org) {
    const access = await resolveOrgAccess(db, {
      userId: input.userId,
      orgName: input.org,
      required: "admin",
    });
    return { accountId: access.account.id, kind: "org", org: access.org.name };
  }
  const account = await db.billingAccount.findUniqueOrThrow({
    where: { userId: input.userId },
    select: { id: true },
  });
  return { accountId: account.id, kind: "user", org: null };
}
