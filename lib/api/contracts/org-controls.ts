import { z } from "zod";
import {
  allowedModelsBody,
  orgParams,
  orgProviderParams,
  providerEnabledBody,
  spendingLimitBody,
} from "@/lib/api/schemas";
import { defineContract, describes } from "@/lib/http/contract";
import type { getSpendingLimit, setProviderEnabled } from "@/lib/org-controls/controls";
import { isoDateTime } from "./common";

const TAG = "Organization controls";
const adminErrors = ["org_not_found", "not_org_member", "forbidden"] as const;

const spendingLimit = describes<Awaited<ReturnType<typeof getSpendingLimit>>>()(
  z.object({
    limitCents: z
      .int()
      .nullable()
      .meta({ description: "The monthly cap on pay-as-you-go spend; null: none." }),
    spentCents: z.int().meta({ description: "This month's pay-as-you-go spend." }),
    reservedCents: z.int().meta({ description: "Held for requests in flight." }),
    resetsAt: isoDateTime,
  }),
);
const limitExample = {
  limitCents: 5000,
  spentCents: 1234,
  reservedCents: 12,
  resetsAt: "2026-12-01T00:00:00.000Z",
};

export const getOrgSpendingLimit = defineContract({
  method: "GET",
  path: "/api/organizations/{org}/spending-limit",
  tag: TAG,
  summary: "The org's monthly spending limit and this month's spend",
  description: "Admins only.",
  auth: "user",
  params: orgParams,
  response: { status: 200, schema: spendingLimit, description: "The limit." },
  errors: adminErrors,
  example: { params: { org: "acme-ai" }, response: limitExample },
});

export const setOrgSpendingLimit = defineContract({
  method: "PUT",
  path: "/api/organizations/{org}/spending-limit",
  tag: TAG,
  summary: "Set or remove the spending limit",
  description: "In cents, or null for none; takes effect for the next request. Admins only; audited.",
  auth: "user",
  params: orgParams,
  body: spendingLimitBody,
  response: { status: 200, schema: spendingLimit, description: "The limit as saved." },
  errors: adminErrors,
  example: { params: { org: "acme-ai" }, body: { limitCents: 5000 }, response: limitExample },
});

const providerSetting = describes<Awaited<ReturnType<typeof setProviderEnabled>>>()(
  z.object({
    id: z.string(),
    displayName: z.string(),
    billingIntegrated: z
      .boolean()
      .meta({ description: "Whether the platform can bill it (routed requests)." }),
    enabled: z.boolean().meta({ description: "Whether requests billed to the org may use it." }),
  }),
);
const groq = { id: "groq", displayName: "Groq", billingIntegrated: true, enabled: true };

export const listOrgProviders = defineContract({
  method: "GET",
  path: "/api/organizations/{org}/providers",
  tag: TAG,
  summary: "Every provider and whether the org allows it",
  description: "Admins only.",
  auth: "user",
  params: orgParams,
  response: {
    status: 200,
    schema: z.object({ providers: z.array(providerSetting) }),
    description: "The providers.",
  },
  errors: adminErrors,
  example: {
    params: { org: "acme-ai" },
    response: {
      providers: [
        groq,
        { id: "together", displayName: "Together AI", billingIntegrated: true, enabled: false },
      ],
    },
  },
});

export const setOrgProvider = defineContract({
  method: "PUT",
  path: "/api/organizations/{org}/providers/{provider}",
  tag: TAG,
  summary: "Enable or disable a provider for the org",
  description: "For requests billed to the org. Admins only; audited.",
  auth: "user",
  params: orgProviderParams,
  body: providerEnabledBody,
  response: { status: 200, schema: providerSetting, description: "The provider's setting." },
  errors: [...adminErrors, "not_found"],
  example: {
    params: { org: "acme-ai", provider: "groq" },
    body: { enabled: false },
    response: { ...groq, enabled: false },
  },
});

const allowedModels = z.object({
  allowed: z
    .array(z.string())
    .nullable()
    .meta({ description: "The models requests billed to the org may use; null: every model." }),
});

export const getOrgModels = defineContract({
  method: "GET",
  path: "/api/organizations/{org}/models",
  tag: TAG,
  summary: "The models the org allows",
  description: "Admins only.",
  auth: "user",
  params: orgParams,
  response: { status: 200, schema: allowedModels, description: "The allowed models." },
  errors: adminErrors,
  example: { params: { org: "acme-ai" }, response: { allowed: ["meta-llama/Llama-3.3-70B-Instruct"] } },
});

export const putOrgModels = defineContract({
  method: "PUT",
  path: "/api/organizations/{org}/models",
  tag: TAG,
  summary: "Restrict the models requests billed to the org may use",
  description:
    "Catalog model ids (at least one), or null for every model. Requests billed to the org for another model get 403 `model_not_allowed`. Admins only; audited when the set changes.",
  auth: "user",
  params: orgParams,
  body: allowedModelsBody,
  response: { status: 200, schema: allowedModels, description: "The allowed models as saved." },
  errors: [...adminErrors, "unknown_model"],
  example: {
    params: { org: "acme-ai" },
    body: { allowed: ["meta-llama/Llama-3.3-70B-Instruct"] },
    response: { allowed: ["meta-llama/Llama-3.3-70B-Instruct"] },
  },
});
