import { getOrgModels, putOrgModels } from "@/lib/api/contracts/org-controls";
import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { route } from "@/lib/api/route";
import { getAllowedModels, setAllowedModels } from "@/lib/org-controls/allowed-models";

const adminAccess = (userId: string, org: string) =>
  resolveOrgAccess(getDb(), { userId, orgName: org, required: "admin" });

/** The models requests billed to the org may use (null: every model). Admins only. */
export const GET = route(getOrgModels, async ({ principal, params }) =>
  getAllowedModels(getDb(), (await adminAccess(principal.userId, params.org)).account.id),
);

/** Replaces them: {"allowed": ["meta-llama/Llama-3.3-70B-Instruct"]}, or {"allowed": null}. Audited. */
export const PUT = route(putOrgModels, async ({ principal, params, body }) =>
  setAllowedModels(getDb(), {
    accountId: (await adminAccess(principal.userId, params.org)).account.id,
    actorUserId: principal.userId,
    allowed: body.allowed,
  }),
);
