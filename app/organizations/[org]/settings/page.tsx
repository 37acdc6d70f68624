import { redirect } from "next/navigation";

export default async function OrgSettingsIndex({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  redirect(`/organizations/${encodeURIComponent(org)}/settings/billing`);
}
