import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { BillingSettings } from "@/components/billing/billing-settings";
import { PageHeader } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { appBillingNow } from "@/lib/ledger/app-context";
import { prefetchBillingPage } from "@/lib/api/prefetch-billing";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Billing" };

export default async function UserBillingPage() {
  const user = await requireUser();
  const db = getDb();
  const queryClient = new QueryClient();
  await prefetchBillingPage(queryClient, db, {
    accountId: user.billingAccount!.id,
    org: null,
    now: await appBillingNow(db),
  });
  return (
    <>
      <PageHeader title="Billing" description="Your plan, payment methods, billing threshold and invoices." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <BillingSettings org={null} />
      </HydrationBoundary>
    </>
  );
}
