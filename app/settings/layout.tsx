import type { ReactNode } from "react";
import { SettingsShell } from "@/components/shell/settings-shell";
import { listMemberships } from "@/lib/accounts/memberships";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const orgs = await listMemberships(getDb(), user.id);
  return (
    <SettingsShell email={user.email} orgs={orgs}>
      {children}
    </SettingsShell>
  );
}
