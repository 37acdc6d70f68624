export const ORG_ROLES = ["admin", "write", "contributor", "read"] as const;
export type OrgRoleName = (typeof ORG_ROLES)[number];

const RANK: Record<OrgRoleName, number> = { read: 0, contributor: 1, write: 2, admin: 3 };

/** Whether a member with `role` may do what needs at least `required`. */
export function roleAtLeast(role: OrgRoleName, required: OrgRoleName): boolean {
  return RANK[role] >= RANK[required];
}
