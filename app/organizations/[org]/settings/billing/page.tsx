import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { BillingSettings } from "@/components/billing/billing-settings";
import { PageHeader } from "@/components/ui/section";
import { requireOrgRole } from "@/lib/auth/session";
import { appBillingNow } from "@/lib/ledger/app-context";
import { prefetchBillingPage } from "@/lib/api/prefetch-billing";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Organization billing" };

export default async function OrgBillingPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  // Org billing (plan, seats, cards, invoices) is for admins only: members get the 403 page.
  const access = await requireOrgRole(org, "admin");
  const db = getDb();
  const queryClient = new QueryClient();
  await prefetchBillingPage(queryClient, db, {
    accountId: access.account.id,
    org: access.org.name,
    now: await appBillingNow(db),
  });
  return (
    <>
      <PageHeader
        title={`${access.org.displayName} · Billing`}
        description="Plan, seats, storage, payment methods, billing threshold and invoices."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <BillingSettings org={access.org.name} />
      </HydrationBoundary>
    </>
  );
}
