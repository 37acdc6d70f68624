import { InvoicesSection } from "./invoices-section";
import { PaymentMethodsSection } from "./payment-methods-section";
import { PlanSection } from "./plan-section";
import { ThresholdSection } from "./threshold-section";

/** The billing page of one account: the user's own (org null) or an org's. */
export function BillingSettings({ org }: { org: string | null }) {
  return (
    <div className="flex flex-col gap-6">
      <PlanSection org={org} />
      <PaymentMethodsSection org={org} />
      <ThresholdSection org={org} />
      <InvoicesSection org={org} />
    </div>
  );
}
