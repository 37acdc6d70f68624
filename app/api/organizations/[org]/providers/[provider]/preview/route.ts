import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { previewProviderDisable, type ProviderPreviewWire } from "@/lib/api/contracts/previews-audit";
import { asJson } from "@/lib/http/json";
import { appBillingNow } from "@/lib/ledger/app-context";
import { route } from "@/lib/api/route";
import { previewProviderForAccount } from "@/lib/org-controls/preview-provider-data";

/** What switching a provider off would take from the org: models left without a provider, last month's share. Admins only. */
export const GET = route(previewProviderDisable, async ({ principal, params }) => {
  const db = getDb();
  const access = await resolveOrgAccess(db, {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  const preview = await previewProviderForAccount(db, {
    accountId: access.account.id,
    providerId: params.provider,
    now: await appBillingNow(db),
  });
  return asJson<ProviderPreviewWire>(preview);
});
