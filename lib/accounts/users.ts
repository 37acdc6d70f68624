import type { Db } from "@/lib/db/prisma";
import { conflict } from "@/lib/kernel/errors";
import { hashPassword } from "@/lib/accounts/password";
import { isUniqueViolation } from "@/lib/db/errors";
import { paidPlanSubscription } from "./subscription-row";

export interface NewUser {
  email: string;
  password?: string;
  name?: string;
  plan: "free" | "pro";
}

/** A user and their personal billing account, created together or not at all. */
export async function createUser(db: Db, input: NewUser) {
  const email = input.email.toLowerCase();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await db.user.create({
      data: {
        email,
        name: input.name ?? email.split("@")[0]!,
        passwordHash,
        billingAccount: {
          create: {
            kind: "user",
            plan: input.plan,
            subscriptions: paidPlanSubscription(input.plan, 1, new Date()),
          },
        },
      },
      include: { billingAccount: true },
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("email_taken", `A user with the email ${email} already exists.`);
    throw e;
  }
}
