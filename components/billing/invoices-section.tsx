import { EmptyState, Section } from "@/components/ui/section";

/** The invoice history of an account (the last 3 months). */
export function InvoicesSection() {
  return (
    <Section title="Invoices" description="The last 3 months of invoices and receipts.">
      <EmptyState title="No invoices yet">
        Invoices are issued on the 1st of each month for the month before.
      </EmptyState>
    </Section>
  );
}
