import type { Metadata } from "next";
import { PlanSummary } from "@/components/billing/plan-summary";
import { InvoicesSection } from "@/components/billing/invoices-section";
import { PageHeader, Section } from "@/components/ui/section";
import { requireOrgRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PLAN_LABELS, planInForce } from "@/lib/pricing/plans";

export const metadata: Metadata = { title: "Organization billing" };

export default async function OrgBillingPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  // Org billing (plan, seats, cards, invoices) is for admins only.
  const access = await requireOrgRole(org, "admin");
  const terms = await planInForce(getDb(), access.account.plan, new Date());
  return (
    <>
      <PageHeader
        title={`${access.org.displayName} · Billing`}
        description="Plan, seats, spending limit and invoices."
      />
      <div className="flex flex-col gap-6">
        <Section title="Plan">
          <PlanSummary label={PLAN_LABELS[access.account.plan]} seats={access.account.seats} {...terms} />
        </Section>
        <InvoicesSection />
      </div>
    </>
  );
}
