import { z } from "zod";
import {
  createTokenBody,
  providerKeyBody,
  providerParams,
  providerEnabledBody,
  providerPreferencesBody,
  tokenIdParams,
  tokenLimitBody,
} from "@/lib/api/schemas";
import type { TokenDto } from "@/lib/auth/tokens";
import { LIMIT_RESETS, type TokenWindowSpend } from "@/lib/auth/token-window";
import { defineContract, describes } from "@/lib/http/contract";
import type { listProviderKeys } from "@/lib/keys/provider-keys";
import type { getProviderPreferences } from "@/lib/keys/provider-preferences";
import type { listProviderSwitches, setProviderSwitch } from "@/lib/keys/provider-switches";
import { EXAMPLE_IDS, isoDateTime } from "./common";

const KEYS = "Provider keys";
const TOKENS = "Access tokens";

const maskedKey = describes<Awaited<ReturnType<typeof listProviderKeys>>[number]>()(
  z.object({
    providerId: z.string(),
    last4: z.string().meta({ description: "The key's last 4 characters: the key is never shown again." }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  }),
);
const keyExample = {
  providerId: "together",
  last4: "9f3a",
  createdAt: "2026-11-02T14:00:00.000Z",
  updatedAt: "2026-11-02T14:00:00.000Z",
};

export const listKeys = defineContract({
  method: "GET",
  path: "/api/settings/provider-keys",
  tag: KEYS,
  summary: "The caller's custom provider keys, masked",
  auth: "user",
  response: { status: 200, schema: z.object({ keys: z.array(maskedKey) }), description: "The keys." },
  errors: [],
  example: { response: { keys: [keyExample] } },
});

export const putKey = defineContract({
  method: "PUT",
  path: "/api/settings/provider-keys/{provider}",
  tag: KEYS,
  summary: "Add or replace the caller's key for a provider",
  description:
    "Stored encrypted; requests the caller makes to that provider then use it and are billed by the provider, not the platform. Audited (last 4 characters only).",
  auth: "user",
  params: providerParams,
  body: providerKeyBody,
  response: { status: 200, schema: z.object({ key: maskedKey }), description: "The key, masked." },
  errors: ["not_found"],
  example: {
    params: { provider: "together" },
    body: { key: "tgp_v1_4c8e2b7f9f3a" },
    response: { key: keyExample },
  },
});

export const deleteKey = defineContract({
  method: "DELETE",
  path: "/api/settings/provider-keys/{provider}",
  tag: KEYS,
  summary: "Remove the caller's key for a provider",
  auth: "user",
  params: providerParams,
  response: { status: 204, description: "Removed." },
  errors: ["not_found"],
  example: { params: { provider: "together" } },
});

const preferences = describes<Awaited<ReturnType<typeof getProviderPreferences>>>()(
  z.object({
    providers: z
      .array(z.string())
      .meta({ description: "The order the router tries providers in, most preferred first." }),
    catalog: z
      .array(z.object({ id: z.string(), displayName: z.string() }))
      .meta({ description: "The providers to choose from." }),
  }),
);
const preferencesExample = {
  providers: ["groq", "together"],
  catalog: [
    { id: "groq", displayName: "Groq" },
    { id: "together", displayName: "Together AI" },
  ],
};

export const getPreferences = defineContract({
  method: "GET",
  path: "/api/settings/provider-preferences",
  tag: KEYS,
  summary: "The caller's provider order for the router",
  auth: "user",
  response: { status: 200, schema: preferences, description: "The order and the catalog." },
  errors: [],
  example: { response: preferencesExample },
});

export const putPreferences = defineContract({
  method: "PUT",
  path: "/api/settings/provider-preferences",
  tag: KEYS,
  summary: "Replace the caller's provider order",
  description: "Catalog ids, each once, most preferred first; `[]` restores the default order. Audited.",
  auth: "user",
  body: providerPreferencesBody,
  response: { status: 200, schema: preferences, description: "The order as saved." },
  errors: ["unknown_provider"],
  example: { body: { providers: ["groq", "together"] }, response: preferencesExample },
});

const providerSwitch = describes<Awaited<ReturnType<typeof setProviderSwitch>>>()(
  z.object({
    id: z.string(),
    displayName: z.string(),
    billingIntegrated: z
      .boolean()
      .meta({ description: "Whether the platform can bill it; otherwise only your own key works." }),
    enabled: z.boolean().meta({ description: "Whether the router may send your requests to it." }),
  }),
);
const switchExample = { id: "groq", displayName: "Groq", billingIntegrated: true, enabled: false };

export const listSwitches = defineContract({
  method: "GET",
  path: "/api/settings/providers",
  tag: KEYS,
  summary: "The caller's own provider switches",
  description:
    "Every catalog provider, on or off for the caller's own requests wherever they are billed. An org's switches apply on top for requests billed to it.",
  auth: "user",
  response: {
    status: 200,
    schema: describes<Awaited<ReturnType<typeof listProviderSwitches>>>()(
      z.object({ providers: z.array(providerSwitch) }),
    ),
    description: "The providers.",
  },
  errors: [],
  example: { response: { providers: [switchExample] } },
});

export const putSwitch = defineContract({
  method: "PUT",
  path: "/api/settings/providers/{provider}",
  tag: KEYS,
  summary: "Switch a provider on or off for the caller's own requests",
  description:
    'A plain `model` then skips it; `model:<provider>` naming it gets 403 `provider_disabled` (details `by: "caller"`). Idempotent; audited once per change.',
  auth: "user",
  params: providerParams,
  body: providerEnabledBody,
  response: { status: 200, schema: providerSwitch, description: "The provider as switched." },
  errors: ["not_found"],
  example: { params: { provider: "groq" }, body: { enabled: false }, response: switchExample },
});

const tokenWindowSpend = describes<TokenWindowSpend>()(
  z.object({
    start: isoDateTime,
    resetsAt: isoDateTime.nullable(),
    spentNano: z.string().meta({
      description: "What its routed requests started in the window were billed, in nano-dollars (decimal).",
    }),
    spentCents: z.number().int(),
    reservedCents: z.number().int().meta({ description: "Held by its requests in flight." }),
  }),
);

const token = describes<TokenDto>()(
  z.object({
    id: z.uuid(),
    name: z.string(),
    last4: z.string(),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime.nullable(),
    expiresAt: isoDateTime.nullable(),
    permissions: z.array(z.string()),
    billToOrgs: z
      .array(z.string())
      .nullable()
      .meta({ description: "The orgs it may bill; null: any org its user belongs to." }),
    limitCents: z.number().int().nullable().meta({
      description:
        "Its own spending limit per window, whole cents; null: none (the account's limits still apply).",
    }),
    limitReset: z.enum(LIMIT_RESETS).nullable(),
    window: tokenWindowSpend.nullable().meta({
      description: "The limit's current window by the billing clock; null without a limit.",
    }),
  }),
);
const tokenLimitExample = { limitCents: 500, limitReset: "daily" as const };

export const putTokenLimit = defineContract({
  method: "PUT",
  path: "/api/settings/tokens/{id}/limit",
  tag: TOKENS,
  summary: "Set or remove an access token's spending limit",
  description:
    "`limitCents` (whole cents, 1 to 2,000,000,000) with `limitReset` (daily, weekly from Monday, monthly, or never; UTC, by the billing clock), or `limitCents: null` to remove it. Spend already counted in the current window stays counted. Audited on the caller's account.",
  auth: "user",
  params: tokenIdParams,
  body: tokenLimitBody,
  response: {
    status: 200,
    schema: z.object({
      limitCents: z.number().int().nullable(),
      limitReset: z.enum(LIMIT_RESETS).nullable(),
    }),
    description: "The limit as set.",
  },
  errors: ["not_found"],
  example: { params: { id: EXAMPLE_IDS.token }, body: tokenLimitExample, response: tokenLimitExample },
});

const tokenExample = {
  id: EXAMPLE_IDS.token,
  name: "laptop",
  last4: "x9Kq",
  createdAt: "2026-11-02T14:00:00.000Z",
  lastUsedAt: null,
  expiresAt: null,
  permissions: ["inference", "read", "write"],
  billToOrgs: null,
  limitCents: 500,
  limitReset: "daily" as const,
  window: {
    start: "2026-11-02T00:00:00.000Z",
    resetsAt: "2026-11-03T00:00:00.000Z",
    spentNano: "1250000000",
    spentCents: 125,
    reservedCents: 2,
  },
};

export const listTokens = defineContract({
  method: "GET",
  path: "/api/settings/tokens",
  tag: TOKENS,
  summary: "The caller's active access tokens",
  description: "Never the tokens themselves.",
  auth: "user",
  response: { status: 200, schema: z.object({ tokens: z.array(token) }), description: "The tokens." },
  errors: [],
  example: { response: { tokens: [tokenExample] } },
});

export const createToken = defineContract({
  method: "POST",
  path: "/api/settings/tokens",
  tag: TOKENS,
  summary: "Create an access token",
  description: "The response is the only time the token's value is shown.",
  auth: "user",
  body: createTokenBody,
  response: {
    status: 201,
    schema: z.object({ token: z.string().meta({ description: "The token: shown once." }), record: token }),
    description: "The new token.",
  },
  errors: [],
  example: {
    body: { name: "laptop" },
    response: { token: "hf_3b9c1d7e5f2a4b6c8d0e1f2a3b4c5d6e7f8ax9Kq", record: tokenExample },
  },
});

export const revokeToken = defineContract({
  method: "DELETE",
  path: "/api/settings/tokens/{id}",
  tag: TOKENS,
  summary: "Revoke an access token",
  description: "It stops working at once.",
  auth: "user",
  params: tokenIdParams,
  response: { status: 204, description: "Revoked." },
  errors: ["not_found"],
  example: { params: { id: EXAMPLE_IDS.token } },
});
