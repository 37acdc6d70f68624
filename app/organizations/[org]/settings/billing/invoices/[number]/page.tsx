import type { Metadata } from "next";
import Link from "next/link";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { InvoiceView } from "@/components/billing/invoice-view";
import { PageHeader } from "@/components/ui/section";
import { requireOrgRole } from "@/lib/auth/session";
import { prefetchInvoicePage } from "@/lib/api/prefetch-billing";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Invoice" };

export default async function OrgInvoicePage({
  params,
}: {
  params: Promise<{ org: string; number: string }>;
}) {
  const { org, number } = await params;
  const access = await requireOrgRole(org, "admin");
  const queryClient = new QueryClient();
  await prefetchInvoicePage(queryClient, getDb(), {
    accountId: access.account.id,
    org: access.org.name,
    number,
  });
  return (
    <>
      <PageHeader
        title={`Invoice ${number}`}
        description={<Link href={`/organizations/${access.org.name}/settings/billing`}>Back to billing</Link>}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InvoiceView org={access.org.name} number={number} />
      </HydrationBoundary>
    </>
  );
}
