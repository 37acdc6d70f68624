import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { previewSpendingLimit, type LimitPreviewWire } from "@/lib/api/contracts/previews-audit";
import { asJson } from "@/lib/http/json";
import { appBillingNow } from "@/lib/ledger/app-context";
import { route } from "@/lib/api/route";
import { previewLimitForAccount } from "@/lib/org-controls/preview-limit-data";

/** How last month's routed traffic would have fared under a proposed limit. Admins only; changes nothing. */
export const GET = route(previewSpendingLimit, async ({ principal, params, query }) => {
  const db = getDb();
  const access = await resolveOrgAccess(db, {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  const preview = await previewLimitForAccount(db, {
    accountId: access.account.id,
    now: await appBillingNow(db),
    limitCents: query.limitCents,
  });
  // As jsonResponse would send it (BigInt as strings, dates as ISO), which the contract describes.
  return asJson<LimitPreviewWire>(preview);
});
