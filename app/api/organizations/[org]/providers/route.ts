import { listOrgProviders } from "@/lib/api/contracts/org-controls";
import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { route } from "@/lib/api/route";
import { listProviderSettings } from "@/lib/org-controls/controls";

/** Every provider and whether requests billed to the org may use it. Admins only. */
export const GET = route(listOrgProviders, async ({ principal, params }) => {
  const access = await resolveOrgAccess(getDb(), {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  return { providers: await listProviderSettings(getDb(), access.account.id) };
});
