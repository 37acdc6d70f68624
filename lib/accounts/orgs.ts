import type { Db } from "@/lib/db/prisma";
import { conflict, notFound } from "@/lib/kernel/errors";
import { isUniqueViolation } from "@/lib/db/errors";
import { paidPlanSubscription } from "./subscription-row";
import type { OrgRoleName } from "./roles";

export interface NewOrg {
  name: string;
  displayName?: string;
  plan: "free" | "team" | "enterprise";
  seats: number;
}

/** An organization and its billing account, created together or not at all. */
export async function createOrg(db: Db, input: NewOrg) {
  try {
    return await db.organization.create({
      data: {
        name: input.name,
        displayName: input.displayName ?? input.name,
        billingAccount: {
          create: {
            kind: "org",
            plan: input.plan,
            seats: input.seats,
            subscriptions: paidPlanSubscription(input.plan, input.seats, new Date()),
          },
        },
      },
      include: { billingAccount: true },
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict("org_name_taken", `An organization named ${input.name} already exists.`);
    throw e;
  }
}

/** Adds a user to an org, or changes their role if they are already a member. */
export async function addMember(db: Db, input: { orgName: string; email: string; role: OrgRoleName }) {
  const [org, user] = await Promise.all([
    db.organization.findUnique({ where: { name: input.orgName } }),
    db.user.findUnique({ where: { email: input.email.toLowerCase() } }),
  ]);
  if (!org) throw notFound(`Organization ${input.orgName}`);
  if (!user) throw notFound(`User ${input.email}`);
  const membership = await db.membership.upsert({
    where: { orgId_userId: { orgId: org.id, userId: user.id } },
    create: { orgId: org.id, userId: user.id, role: input.role },
    update: { role: input.role },
  });
  return { org, user, membership };
}
