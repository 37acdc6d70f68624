import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NavLink } from "./nav-link";

export interface ShellOrg {
  name: string;
  displayName: string;
  role: string;
}

/** The frame of every settings page: header, navigation for the user and their orgs, content. */
export function SettingsShell({
  email,
  orgs,
  children,
}: {
  email: string;
  orgs: ShellOrg[];
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-gray-200 bg-white px-4 py-3 dark:border-gray-800 dark:bg-gray-900">
        <Link href="/settings/billing" className="font-semibold">
          Inference billing
        </Link>
        <div className="flex items-center gap-3">
          <Link href="/docs/api" className="text-sm text-gray-700 hover:underline dark:text-gray-300">
            API reference
          </Link>
          <span
            className="hidden text-sm text-gray-600 sm:inline dark:text-gray-400"
            data-testid="signed-in-as"
          >
            {email}
          </span>
          <SignOutButton />
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 md:flex-row md:p-6">
        <nav aria-label="Settings" className="md:w-56 md:shrink-0">
          <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-gray-500 uppercase dark:text-gray-400">
            Your account
          </p>
          <NavLink href="/settings/billing">Billing</NavLink>
          <NavLink href="/settings/inference-providers">Inference providers</NavLink>
          <NavLink href="/settings/tokens">Access tokens</NavLink>
          <NavLink href="/settings/notifications">Alerts</NavLink>
          {orgs.map((org) => (
            <div key={org.name} className="mt-4">
              <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-gray-500 uppercase dark:text-gray-400">
                {org.displayName} <span className="font-normal normal-case">({org.role})</span>
              </p>
              <NavLink href={`/organizations/${org.name}/settings/billing`}>Billing</NavLink>
              <NavLink href={`/organizations/${org.name}/settings/inference-providers`}>
                Inference providers
              </NavLink>
              {org.role === "admin" ? (
                <NavLink href={`/organizations/${org.name}/settings/audit-log`}>Audit log</NavLink>
              ) : null}
            </div>
          ))}
        </nav>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
