import { z } from "zod";

interface ErrorCodeInfo {
  status: number;
  /** When it happens, for the reference. */
  when: string;
  /** A message as the API writes it, for the examples. */
  example: string;
}

/**
 * Every error code the HTTP API answers with, its status, and what it means. Contracts list the
 * codes their operation can answer; the OpenAPI document and its examples come from here.
 */
export const ERROR_CODES = {
  invalid_request: {
    status: 400,
    when: "A path, query, header or body field is invalid; `issues` lists each one.",
    example: "The request body is invalid. body.limitCents: limitCents cannot be negative.",
  },
  invalid_json: {
    status: 400,
    when: "The body is not valid JSON.",
    example: "The request body is not valid JSON.",
  },
  invalid_input: {
    status: 400,
    when: "A path, query or body holds a NUL character, text that is not valid Unicode, or a percent-escape that is not UTF-8; `path` says where.",
    example: "The request body has a NUL character or text that is not valid Unicode (at body.name).",
  },
  invalid_events: {
    status: 400,
    when: "One or more events of the batch are invalid; `errors` lists them (`index`, `id`, `code`, `message`; codes: invalid_event, duplicate_id_in_batch, past_retention, occurred_in_future, user_not_found, org_not_found, not_org_member, model_not_found, price_not_found, duplicate_hold_in_batch, hold_mismatch) and nothing was recorded.",
    example: "1 event is invalid; nothing was recorded. Fix them and send the batch again.",
  },
  webhook_url_refused: {
    status: 400,
    when: "An alert webhook URL is not https (plain http only to hosts the operator allow-lists for development), or its host does not resolve to public addresses only (loopback, private, link-local, multicast, CGNAT and reserved addresses are refused, in any notation).",
    example:
      "The webhook's host must resolve to public internet addresses only: loopback, private, link-local and reserved addresses are refused.",
  },
  unknown_model: {
    status: 400,
    when: "A model id is not in the catalog.",
    example: "Unknown model: acme/unknown. Use the ids GET /v1/models lists.",
  },
  unknown_provider: {
    status: 400,
    when: "A provider id is not in the catalog.",
    example: "Unknown provider: acme. Use the ids of GET /api/settings/provider-preferences.",
  },
  upstream_rejected: {
    status: 400,
    when: "The provider refused the request as invalid.",
    example: "together rejected the request: max_tokens is too large for this model.",
  },
  unauthenticated: {
    status: 401,
    when: "No session cookie and no `Authorization: Bearer` token.",
    example: "Sign in, or send an access token as `Authorization: Bearer <token>`.",
  },
  invalid_token: {
    status: 401,
    when: "The bearer token is malformed or revoked.",
    example: "The access token is malformed or revoked. Create one at /settings/tokens.",
  },
  token_expired: {
    status: 401,
    when: "The access token's expiry has passed.",
    example: "This access token expired at 2026-12-01T00:00:00.000Z. Create a new one at /settings/tokens.",
  },
  token_scope: {
    status: 403,
    when: "The access token lacks the permission the request needs (`missing`: inference, read, write) or may not bill the org named by X-HF-Bill-To (`missing`: bill_to).",
    example: "This access token lacks the write permission. Create one with it at /settings/tokens.",
  },
  credits_exhausted: {
    status: 402,
    when: "A Free account's monthly credits are used up; carries the limit, the spend and `resetsAt`.",
    example:
      "Your monthly credits ($0.10) are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on 2026-12-01.",
  },
  spending_limit_reached: {
    status: 402,
    when: "The paying account's monthly spending limit has no room for the request; carries the limit, the spend and `resetsAt`.",
    example:
      "The organization acme-ai has reached its monthly spending limit of $50.00 ($49.98 spent). Ask an org admin to raise the limit, or wait until it resets on 2026-12-01.",
  },
  token_limit_reached: {
    status: 402,
    when: "The access token's own spending limit has no room for the request in its current window (daily, weekly from Monday, monthly, or never: UTC); carries `limitCents`, `limitReset`, `spentCents` (the window's spend), `reservedCents` (held by requests in flight), `windowStart` and `resetsAt` (null when it never resets).",
    example:
      "This access token has reached its daily spending limit of $0.05 ($0.05 spent, $0.00 held by requests in flight). It resets at 2026-12-05T00:00:00.000Z; or raise the limit at /settings/tokens.",
  },
  no_payment_method: {
    status: 402,
    when: "There is no card on file to charge.",
    example: "There is no card on file. Add a card in your billing settings to pay.",
  },
  card_declined: {
    status: 402,
    when: "The card was declined (other card refusals: incorrect_number, expired_card, authentication_required, processing_error, payment_failed).",
    example: "Your card was declined. Try another card.",
  },
  card_country_unsupported: {
    status: 402,
    when: "The card was issued in a country whose cards are not supported yet (India); it is not saved.",
    example: "We do not yet support cards issued in India. Use a card issued in another country.",
  },
  forbidden: {
    status: 403,
    when: "The caller's role or token kind does not allow this.",
    example: "This needs the admin role in acme-ai; you have read.",
  },
  cross_origin: {
    status: 403,
    when: "A change sent with a session cookie from another origin.",
    example: "Cross-origin requests cannot change anything with a session cookie.",
  },
  not_org_member: {
    status: 403,
    when: "The caller is not a member of the named organization.",
    example: "You are not a member of acme-ai. Ask one of its admins to invite you.",
  },
  org_plan_required: {
    status: 403,
    when: "The organization is on the Free plan.",
    example: "acme-ai is on the Free plan: usage breakdowns are for Team and Enterprise organizations.",
  },
  model_not_allowed: {
    status: 403,
    when: "The organization the request is billed to allows only some models, and not this one.",
    example:
      "acme-ai allows only some models for its requests, and deepseek-ai/DeepSeek-R1 is not one of them. Choose an allowed model, or ask an org admin to allow it.",
  },
  provider_disabled: {
    status: 403,
    when: "The paying account has switched this provider off.",
    example:
      "acme-ai has disabled groq for its requests. Choose another provider, or ask an org admin to enable it.",
  },
  provider_not_integrated: {
    status: 403,
    when: "The platform cannot bill this provider: only the caller's own key works.",
    example:
      "replicate cannot be billed through the platform. Add your own replicate key in your inference provider settings to use it.",
  },
  not_found: {
    status: 404,
    when: "The invoice, card, token, provider or key does not exist for this account.",
    example: "Invoice INV-202611-000042 was not found.",
  },
  user_not_found: {
    status: 404,
    when: "There is no user with that id.",
    example: "There is no user 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b.",
  },
  org_not_found: {
    status: 404,
    when: "There is no organization by that name.",
    example: "There is no organization named acme-ai.",
  },
  generation_not_found: {
    status: 404,
    when: "No request with this id that the caller made, or that was billed to an org they administer.",
    example: "There is no request chatcmpl-0b7e… that you can see.",
  },
  model_not_found: {
    status: 404,
    when: "No provider (or not the named one) serves the model.",
    example: "No provider serves acme/unknown-model. GET /v1/models lists the models you can use.",
  },
  task_not_supported: {
    status: 400,
    when: "The model's task is not the one this route serves (chat completions need a conversational model).",
    example:
      "black-forest-labs/FLUX.1-dev is a text-to-image model; /v1/chat/completions serves conversational models only.",
  },
  no_subscription: {
    status: 404,
    when: "There is no subscription to cancel.",
    example: "There is no subscription to cancel.",
  },
  already_subscribed: {
    status: 409,
    when: "The account is already on PRO.",
    example: "You are already on PRO.",
  },
  invoice_paid: {
    status: 409,
    when: "The invoice is already paid.",
    example: "Invoice INV-202611-000042 is already paid.",
  },
  payment_in_progress: {
    status: 409,
    when: "Another attempt is charging the same invoice right now; at most one charge of an invoice is in flight.",
    example: "Invoice INV-202611-000042 is being paid right now. Wait a moment, then reload the page.",
  },
  invoice_void: {
    status: 409,
    when: "The invoice was voided.",
    example: "Invoice INV-202611-000042 was voided.",
  },
  invoice_unpaid: {
    status: 409,
    when: "The invoice is not paid yet, so it has no receipt.",
    example: "Invoice INV-202611-000042 is not paid yet: pay it to get a receipt.",
  },
  provider_key_removed: {
    status: 409,
    when: "The caller's key for the provider was removed while the request was being routed.",
    example: "Your key for this provider was just removed. Send the request again.",
  },
  upstream_rate_limited: {
    status: 429,
    when: "The provider is rate limiting.",
    example: "together is rate limiting requests. Retry after a short wait, or choose another provider.",
  },
  method_not_allowed: {
    status: 405,
    when: "The path exists, but not with this HTTP method; `allow` lists the methods it takes.",
    example: "PATCH is not allowed on /api/billing/usage. Use GET.",
  },
  payload_too_large: {
    status: 413,
    when: "The request body is over 16 MB.",
    example: "The request body is over 16 MB.",
  },
  bad_request: {
    status: 400,
    when: "The request is not valid HTTP (answered before any route sees it).",
    example: "The request is not valid HTTP.",
  },
  headers_too_large: {
    status: 431,
    when: "The request's headers are over 16 KB together.",
    example: "The request headers are too large.",
  },
  internal_error: {
    status: 500,
    when: "Anything unexpected; never carries the cause.",
    example: "Something went wrong on our side. Try again in a moment.",
  },
  upstream_error: {
    status: 502,
    when: "The provider failed (also `upstream_unreachable`, `upstream_bad_response`, and `upstream_auth_failed` when it refused the credential).",
    example: "together failed to answer (HTTP 500). Try again, or choose another provider.",
  },
  provider_unavailable: {
    status: 503,
    when: "The provider cannot be reached through the platform right now.",
    example:
      "together is not available through the platform right now. Choose another provider, or add your own together key in your inference provider settings.",
  },
  service_unavailable: {
    status: 503,
    when: "The billing database is unavailable for a moment; retry after `retryAfterSeconds`.",
    example: "The billing database is unavailable for a moment. Retry in a few seconds.",
  },
  upstream_timeout: {
    status: 504,
    when: "The provider took longer than ROUTER_UPSTREAM_TIMEOUT_MS.",
    example:
      'together did not answer in time. Try again, or choose another provider with "model": "<model>:<provider>".',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The body of every error: {"error": {code, message, ...details}}. */
export const errorBodySchema = z
  .object({
    error: z.looseObject({
      code: z.string().regex(/^[a-z][a-z0-9_]*$/),
      message: z.string().min(1),
    }),
  })
  .meta({
    description:
      "Every error. `code` is stable snake_case, `message` a sentence saying what to do; some errors add details (e.g. `issues`, `resetsAt`).",
  });
