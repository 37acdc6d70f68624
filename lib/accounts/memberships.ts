import type { Db } from "@/lib/db/prisma";

/** The orgs a user belongs to, with their role, for navigation. */
export async function listMemberships(db: Db, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, org: { select: { name: true, displayName: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return rows.map((r) => ({ name: r.org.name, displayName: r.org.displayName, role: r.role }));
}
