import { z } from "zod";
import { defineContract, describes } from "@/lib/http/contract";
import { ingestBodySchema } from "@/lib/usage/ingest";
import type { IngestResultWire } from "@/lib/usage/ingest-wire";
import { EXAMPLE_IDS, nanoString } from "./common";

const result = describes<IngestResultWire>()(
  z.union([
    z.object({
      id: z.string(),
      status: z.enum(["recorded", "duplicate"]),
      costNano: nanoString.meta({ description: "At list price." }),
      creditsNano: nanoString,
      paygNano: nanoString,
    }),
    z.object({
      id: z.string(),
      status: z.literal("refused"),
      code: z.enum([
        "credits_exhausted",
        "provider_not_integrated",
        "provider_disabled",
        "model_not_allowed",
        "org_plan_required",
      ]),
      message: z.string(),
    }),
    z
      .object({
        id: z.string(),
        status: z.literal("refused"),
        code: z.literal("spending_limit_reached"),
        message: z.string(),
        limit: z.literal("spending_limit"),
        limitCents: z.int(),
        spentCents: z.int(),
        reservedCents: z.int(),
        resetsAt: z.string(),
      })
      .meta({
        description:
          "The month has no room under the spending limit for the event (holds of requests in flight count): not recorded. The figures are the router's 402 `spending_limit_reached` details.",
      }),
  ]),
);

export const ingestEvents = defineContract({
  method: "POST",
  path: "/api/usage/events",
  tag: "Usage ingestion",
  summary: "Report usage from an external router",
  description:
    "Up to 1,000 events a batch. Each `id` counts once, forever: re-sending a batch is safe. One malformed event, or one id sent twice in the batch, rejects the whole batch with per-event errors (`invalid_events`, each with a `code`) and records nothing; events the billing rules refuse come back with status `refused`, not recorded: among them an event billed without a hold that the month has no room for (`spending_limit_reached`: pay-as-you-go plus the holds of requests in flight would pass the spending limit; the figures are the router's). An event naming a `holdId` (POST /api/usage/holds) settles that hold once: billed at most its amount (more is capped, as the router caps its own), the hold released; a hold already gone (settled, released, expired) counts as none. Token classes are priced by one rule, the router's: `cachedInputTokens` (inside `inputTokens`) at the provider's cached-input price where it lists one, else as input; `reasoningTokens` (inside `outputTokens`) as output, once; a class above its total makes the event invalid. Commits before answering.",
  auth: "service",
  body: ingestBodySchema,
  response: {
    status: 200,
    schema: z.object({
      recorded: z.int(),
      duplicates: z.int(),
      refused: z.int(),
      results: z.array(result).meta({ description: "One per event, in the batch's order." }),
    }),
    description: "What became of each event.",
  },
  errors: ["invalid_events"],
  example: {
    body: {
      events: [
        {
          id: "req_01HZX3K9Q4",
          userId: EXAMPLE_IDS.user,
          billTo: "acme-ai",
          provider: "together",
          model: "meta-llama/Llama-3.3-70B-Instruct",
          mode: "routed",
          inputTokens: 400,
          outputTokens: 300,
          occurredAt: "2026-11-14T10:00:00Z",
        },
        {
          id: "req_01HZX3K9Q5",
          userId: EXAMPLE_IDS.user,
          provider: "hf-inference",
          model: "black-forest-labs/FLUX.1-dev",
          mode: "routed",
          computeMs: 10_000,
          occurredAt: "2026-11-14T10:00:01Z",
        },
      ],
    },
    response: {
      recorded: 1,
      duplicates: 1,
      refused: 0,
      results: [
        {
          id: "req_01HZX3K9Q4",
          status: "recorded",
          costNano: "620000",
          creditsNano: "620000",
          paygNano: "0",
        },
        {
          id: "req_01HZX3K9Q5",
          status: "duplicate",
          costNano: "1200000",
          creditsNano: "0",
          paygNano: "1200000",
        },
      ],
    },
  },
});
