import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { roleAtLeast, type OrgRoleName } from "./roles";

export interface OrgAccess {
  org: { id: string; name: string; displayName: string };
  account: { id: string; plan: "free" | "pro" | "team" | "enterprise"; seats: number };
  role: OrgRoleName;
}

export const orgNotFound = (org: string) =>
  new AppError(404, "org_not_found", `There is no organization named ${org}.`, { org });

export const notOrgMember = (org: string) =>
  new AppError(
    403,
    "not_org_member",
    `You are not a member of ${org}. Ask one of its admins to invite you.`,
    { org },
  );

/**
 * The one authorization check for an organization: the org exists, the user is a member, and
 * their role (read from the database now, never from the session) is at least `required`.
 */
export async function resolveOrgAccess(
  db: Db,
  input: { userId: string; orgName: string; required: OrgRoleName },
): Promise<OrgAccess> {
  const org = await db.organization.findUnique({
    where: { name: input.orgName },
    select: {
      id: true,
      name: true,
      displayName: true,
      billingAccount: { select: { id: true, plan: true, seats: true } },
      memberships: { where: { userId: input.userId }, select: { role: true } },
    },
  });
  if (!org || !org.billingAccount) throw orgNotFound(input.orgName);
  const role = org.memberships[0]?.role;
  if (!role) throw notOrgMember(org.name);
  if (!roleAtLeast(role, input.required)) {
    throw new AppError(
      403,
      "forbidden",
      `This needs the ${input.required} role in ${org.name}; you have ${role}.`,
      {
        org: org.name,
        role,
        requiredRole: input.required,
      },
    );
  }
  return {
    org: { id: org.id, name: org.name, displayName: org.displayName },
    account: org.billingAccount,
    role,
  };
}
