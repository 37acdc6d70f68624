import { z } from "zod";
import { defineContract, describes } from "@/lib/http/contract";
import { holdBodySchema, holdIdSchema } from "@/lib/usage/event-schema";
import type { PlacedHold } from "@/lib/usage/holds";
import { EXAMPLE_IDS, isoDateTime, nanoString } from "./common";

const TAG = "Usage ingestion";
const EXAMPLE_HOLD = `hold_${"4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"}${"a1b2c3d4e5f60718293a4b5c6d7e8f90"}`;

const placed = describes<PlacedHold>()(
  z.object({
    holdId: holdIdSchema.meta({ description: "Name it as the event's `holdId` to settle the hold." }),
    expiresAt: isoDateTime.meta({ description: "When it is released if no event has settled it." }),
    amountNano: nanoString.meta({ description: "The most the settling event is billed." }),
  }),
);

export const placeHold = defineContract({
  method: "POST",
  path: "/api/usage/holds",
  tag: TAG,
  summary: "Hold a request's upper bound before an external router calls a provider",
  description:
    "The router's own admission for an external router: the request's upper bound (its token counts or compute time at the list price in force now) is held on the paying account's month in one conditional statement, so the credits and the spending limit hold however many routers ask at once. Refused exactly as `POST /v1/chat/completions` refuses, with the same codes and details. The event sent to `POST /api/usage/events` with this `holdId` settles it: billed at most `amountNano` (more is capped, as the router caps its own), the hold released, once; `DELETE` releases it unused; unsettled, it is released after `ROUTER_HOLD_TTL_MS`.",
  auth: "service",
  body: holdBodySchema,
  response: { status: 201, schema: placed, description: "Held." },
  errors: [
    "credits_exhausted",
    "spending_limit_reached",
    "not_org_member",
    "org_plan_required",
    "provider_disabled",
    "model_not_allowed",
    "provider_not_integrated",
    "user_not_found",
    "org_not_found",
    "model_not_found",
  ],
  example: {
    body: {
      userId: EXAMPLE_IDS.user,
      billTo: "acme-ai",
      provider: "together",
      model: "meta-llama/Llama-3.3-70B-Instruct",
      mode: "routed",
      inputTokens: 2_000,
      outputTokens: 4_096,
    },
    response: { holdId: EXAMPLE_HOLD, expiresAt: "2026-11-14T10:10:00.000Z", amountNano: "5364480" },
  },
});

export const releaseHold = defineContract({
  method: "DELETE",
  path: "/api/usage/holds/{id}",
  tag: TAG,
  summary: "Release a hold unused",
  description: "The provider was not called, or failed: nothing is billed and the room goes back at once.",
  auth: "service",
  params: z.object({ id: holdIdSchema }),
  response: { status: 204, description: "Released." },
  errors: ["not_found"],
  example: { params: { id: EXAMPLE_HOLD } },
});
