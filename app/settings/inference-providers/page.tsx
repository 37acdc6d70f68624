import type { Metadata } from "next";
import { EmptyState, PageHeader, Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Inference providers" };

export default async function UserInferenceProvidersPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        title="Inference providers"
        description="What you spend by model and by provider, and the provider keys you bring yourself."
      />
      <div className="flex flex-col gap-6">
        <Section title="Usage this month">
          <EmptyState title="Usage breakdown">
            Your usage by model and by provider will be shown here.
          </EmptyState>
        </Section>
        <Section
          title="Custom provider keys"
          description="Requests made with your own key are billed by the provider directly; we charge nothing for them."
        >
          <EmptyState title="No provider keys">
            Keys you add are encrypted and only their last 4 characters are shown.
          </EmptyState>
        </Section>
      </div>
    </>
  );
}
