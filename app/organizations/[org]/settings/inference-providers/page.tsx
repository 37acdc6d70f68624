import type { Metadata } from "next";
import { EmptyState, PageHeader, Section } from "@/components/ui/section";
import { requireOrgRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Organization inference providers" };

export default async function OrgInferenceProvidersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const access = await requireOrgRole(org, "read");
  const canEdit = access.role === "admin";
  return (
    <>
      <PageHeader
        title={`${access.org.displayName} · Inference providers`}
        description="Usage billed to the organization, by model, provider and member, and the providers it allows."
      />
      <div className="flex flex-col gap-6">
        <Section title="Usage this month">
          <EmptyState title="Usage breakdown">
            Usage billed to {access.org.displayName} will be shown here.
          </EmptyState>
        </Section>
        <Section
          title="Providers"
          description={
            canEdit
              ? "Switch off providers that requests billed to the organization may not use."
              : "Only admins can change which providers the organization allows."
          }
        >
          <EmptyState title="All providers allowed" />
        </Section>
      </div>
    </>
  );
}
