import type { Metadata } from "next";
import Link from "next/link";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { InvoiceView } from "@/components/billing/invoice-view";
import { PageHeader } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { prefetchInvoicePage } from "@/lib/api/prefetch-billing";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Invoice" };

export default async function UserInvoicePage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  const user = await requireUser();
  const queryClient = new QueryClient();
  await prefetchInvoicePage(queryClient, getDb(), { accountId: user.billingAccount!.id, org: null, number });
  return (
    <>
      <PageHeader
        title={`Invoice ${number}`}
        description={<Link href="/settings/billing">Back to billing</Link>}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InvoiceView org={null} number={number} />
      </HydrationBoundary>
    </>
  );
}
