import type { ReactNode } from "react";
import { SettingsShell } from "@/components/shell/settings-shell";
import { listMemberships } from "@/lib/accounts/memberships";
import { requireOrgRole, requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export default async function OrgSettingsLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org } = await params;
  const user = await requireUser();
  await requireOrgRole(org, "read"); // 404 for an unknown org, 403 for a non-member
  const orgs = await listMemberships(getDb(), user.id);
  return (
    <SettingsShell email={user.email} orgs={orgs}>
      {children}
    </SettingsShell>
  );
}
