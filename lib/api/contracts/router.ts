import { z } from "zod";
import { orgNameSchema } from "@/lib/accounts/schemas";
import { defineContract, describes } from "@/lib/http/contract";
import type { BillingReport } from "@/lib/router/billing-report";
import { generationQuerySchema, type Generation } from "@/lib/router/generation-wire";
import type { listModels } from "@/lib/router/models";
import { chatCompletionRequestSchema } from "@/lib/router/request";
import { MODEL_TASKS } from "@/lib/catalog/schema";
import { usdString } from "./common";

const TAG = "Router (OpenAI-compatible)";
const MODEL = "meta-llama/Llama-3.3-70B-Instruct";

const cost = describes<BillingReport>()(
  z
    .object({
      provider: z.string(),
      mode: z.enum(["routed", "custom_key"]),
      billed_to: z.union([
        z.object({ type: z.literal("user") }),
        z.object({ type: z.literal("org"), name: z.string() }),
      ]),
      list_price_usd: usdString.meta({
        description:
          "The request at list price; for custom-key requests, what the provider bills you directly.",
      }),
      billed_usd: usdString.meta({
        description: "What the paying account was billed: credits plus pay-as-you-go.",
      }),
      credits_usd: usdString,
      pay_as_you_go_usd: usdString,
    })
    .meta({ description: "What this request cost and who paid, as exact decimal strings." }),
);

const chatCompletion = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.int(),
  model: z.string().meta({ description: "`<model-id>:<provider>`: which provider served it." }),
  choices: z.array(
    z.looseObject({
      index: z.int(),
      message: z.looseObject({ role: z.literal("assistant"), content: z.string().nullable() }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: z.object({
    prompt_tokens: z.int(),
    completion_tokens: z.int(),
    total_tokens: z.int(),
    prompt_tokens_details: z.object({
      cached_tokens: z.int().meta({
        description:
          "Of `prompt_tokens`, those the provider served from its cache: billed at its cached-input price where it lists one, else as input.",
      }),
    }),
    completion_tokens_details: z.object({
      reasoning_tokens: z.int().meta({
        description: "Of `completion_tokens`, those spent reasoning: billed as output, once.",
      }),
    }),
    cost,
  }),
});

export const chatCompletions = defineContract({
  method: "POST",
  path: "/v1/chat/completions",
  tag: TAG,
  summary: "Chat completion, routed and billed",
  description:
    "OpenAI's chat completion request; `model` is `<model-id>:fastest` (highest throughput the router measured recently), `<model-id>:cheapest` (lowest cost for this request's upper bound), `<model-id>:preferred` (your saved provider order), `<model-id>:<provider>`, or a bare `<model-id>` (your saved order if any, else fastest). Policies skip providers the paying account disabled and those the platform cannot bill unless you have your own key for them. The model must be `conversational` (400 `task_not_supported` otherwise). Parameters the router does not check pass through to the provider. A hold of the request's upper bound is taken before the call and settled at the provider's reported usage after it, so spending limits and Free credits hold under any concurrency. Access tokens only: a browser's cookie never makes a billable call.",
  auth: "token",
  headers: z.object({
    "x-hf-bill-to": orgNameSchema.optional().meta({
      description: "Bill an organization you belong to (Team or Enterprise) instead of your own account.",
    }),
  }),
  body: chatCompletionRequestSchema,
  response: {
    status: 200,
    schema: chatCompletion,
    description: "The completion, with `usage.cost`.",
    eventStream:
      "With `stream: true`: `chat.completion.chunk` events as the provider sends them, then a last chunk whose `usage` carries `cost`, then `data: [DONE]`.",
  },
  errors: [
    "credits_exhausted",
    "spending_limit_reached",
    "token_limit_reached",
    "not_org_member",
    "org_plan_required",
    "provider_disabled",
    "model_not_allowed",
    "provider_not_integrated",
    "org_not_found",
    "model_not_found",
    "task_not_supported",
    "provider_key_removed",
    "upstream_rejected",
    "upstream_rate_limited",
    "upstream_error",
    "provider_unavailable",
    "upstream_timeout",
  ],
  example: {
    headers: { "X-HF-Bill-To": "acme-ai" },
    body: { model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 64 },
    response: {
      id: "chatcmpl-6f1e2d3c",
      object: "chat.completion",
      created: 1_794_650_400,
      model: `${MODEL}:together`,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello! How can I help?" },
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 7,
        total_tokens: 16,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
        cost: {
          provider: "together",
          mode: "routed",
          billed_to: { type: "org", name: "acme-ai" },
          list_price_usd: "0.0000142",
          billed_usd: "0.0000142",
          credits_usd: "0.0000142",
          pay_as_you_go_usd: "0",
        },
      },
    },
  },
});

const models = describes<Awaited<ReturnType<typeof listModels>>>()(
  z.object({
    object: z.literal("list"),
    data: z.array(
      z.object({
        id: z.string(),
        object: z.literal("model"),
        created: z.int(),
        owned_by: z.string(),
        name: z.string(),
        task: z.enum(MODEL_TASKS).meta({
          description: "What the model does; /v1/chat/completions serves `conversational` models.",
        }),
        providers: z.array(
          z.object({
            provider: z.string(),
            name: z.string(),
            billing_integrated: z
              .boolean()
              .meta({ description: "Routed requests need this; otherwise only your own key works." }),
            pricing: z
              .discriminatedUnion("unit", [
                z.object({
                  unit: z.literal("token"),
                  input_usd_per_million: usdString,
                  output_usd_per_million: usdString,
                  cached_input_usd_per_million: usdString
                    .optional()
                    .meta({ description: "Cached prompt tokens, where the provider lists a price." }),
                }),
                z.object({ unit: z.literal("compute"), hardware: z.string(), usd_per_second: usdString }),
              ])
              .nullable()
              .meta({ description: "The list price in force now; null: none." }),
          }),
        ),
      }),
    ),
  }),
);

export const getModels = defineContract({
  method: "GET",
  path: "/v1/models",
  tag: TAG,
  summary: "Models, who serves them, and their list prices",
  auth: "token",
  response: { status: 200, schema: models, description: "OpenAI's list shape, with providers and prices." },
  errors: [],
  example: {
    response: {
      object: "list",
      data: [
        {
          id: MODEL,
          object: "model",
          created: 1_733_011_200,
          owned_by: "meta-llama",
          name: "Llama 3.3 70B Instruct",
          task: "conversational",
          providers: [
            {
              provider: "together",
              name: "Together AI",
              billing_integrated: true,
              pricing: { unit: "token", input_usd_per_million: "0.88", output_usd_per_million: "0.88" },
            },
          ],
        },
      ],
    },
  },
});

const generation = describes<{ data: Generation }>()(
  z.object({
    data: z.object({
      id: z.string(),
      model: z.string(),
      provider_name: z.string(),
      mode: z.enum(["routed", "custom_key"]),
      created_at: z.iso.datetime().meta({ description: "When the request was admitted." }),
      streamed: z.boolean().nullable().meta({ description: "null: reported by an external router." }),
      latency: z.int().nullable().meta({
        description: "Milliseconds from calling the provider to its last byte; null as for `streamed`.",
      }),
      tokens_prompt: z.int(),
      tokens_completion: z.int(),
      native_tokens_cached: z.int().meta({
        description: "Of `tokens_prompt`, those served from the provider's cache (priced as cached input).",
      }),
      native_tokens_reasoning: z.int().meta({
        description: "Of `tokens_completion`, those spent reasoning (priced as output).",
      }),
      compute_ms: z.int(),
      hardware: z.string().nullable(),
      cost,
    }),
  }),
);

export const getGeneration = defineContract({
  method: "GET",
  path: "/v1/generation",
  tag: TAG,
  summary: "One request's cost and details, by its id",
  description:
    "OpenRouter's shape: the request the answer's `id` names, with the same `cost` its answer carried. You see the requests you made, and an org's admins those billed to the org; any other id is answered 404.",
  auth: "token",
  query: generationQuerySchema,
  response: { status: 200, schema: generation, description: "The request, in a `data` object." },
  errors: ["generation_not_found"],
  example: {
    query: { id: "chatcmpl-0b7e4c1e-5a0f-4b43-9d56-2f1f4c3b9a10" },
    response: {
      data: {
        id: "chatcmpl-0b7e4c1e-5a0f-4b43-9d56-2f1f4c3b9a10",
        model: MODEL,
        provider_name: "together",
        mode: "routed",
        created_at: "2026-12-03T10:00:00.000Z",
        streamed: false,
        latency: 412,
        tokens_prompt: 1200,
        tokens_completion: 300,
        native_tokens_cached: 800,
        native_tokens_reasoning: 0,
        compute_ms: 0,
        hardware: null,
        cost: {
          provider: "together",
          mode: "routed",
          billed_to: { type: "user" },
          list_price_usd: "0.00132",
          billed_usd: "0.00132",
          credits_usd: "0.00132",
          pay_as_you_go_usd: "0",
        },
      },
    },
  },
});
