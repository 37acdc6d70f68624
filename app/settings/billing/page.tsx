import type { Metadata } from "next";
import { PlanSummary } from "@/components/billing/plan-summary";
import { InvoicesSection } from "@/components/billing/invoices-section";
import { PageHeader, Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PLAN_LABELS, planInForce } from "@/lib/pricing/plans";

export const metadata: Metadata = { title: "Billing" };

export default async function UserBillingPage() {
  const user = await requireUser();
  const plan = user.billingAccount!.plan;
  const terms = await planInForce(getDb(), plan, new Date());
  return (
    <>
      <PageHeader title="Billing" description="Your plan, payment methods and invoices." />
      <div className="flex flex-col gap-6">
        <Section title="Plan">
          <PlanSummary label={PLAN_LABELS[plan]} seats={1} {...terms} />
        </Section>
        <InvoicesSection />
      </div>
    </>
  );
}
