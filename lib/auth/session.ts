import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, notFound, redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { resolveOrgAccess, type OrgAccess } from "@/lib/accounts/access";
import type { OrgRoleName } from "@/lib/accounts/roles";
import { AppError } from "@/lib/kernel/errors";
import { authOptions } from "./options";

/** The signed-in user (from the session cookie, re-read from the database), or null. */
export const getCurrentUser = cache(async () => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return getDb().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, billingAccount: { select: { id: true, plan: true } } },
  });
});

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>;

/** For pages: the signed-in user, or a redirect to the login page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/**
 * For org pages: 404 for an unknown org, the 403 page for a non-member or a too-low role.
 * Cached per request, so the layout and the page share one lookup.
 */
export const requireOrgRole = cache(async (orgName: string, required: OrgRoleName): Promise<OrgAccess> => {
  const user = await requireUser();
  try {
    return await resolveOrgAccess(getDb(), { userId: user.id, orgName, required });
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    if (e instanceof AppError && e.status === 403) forbidden();
    throw e;
  }
});
