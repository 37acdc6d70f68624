import { z } from "zod";
import { orgNameSchema } from "@/lib/accounts/schemas";
import { requestIdSchema } from "@/lib/ledger/request-id";

// The fields of a request reported by an external router, shared by ingestion and holds.

const int32 = z.number().int().min(0).max(2_147_483_647);
/** Catalog ids: no control characters (a NUL byte cannot even reach PostgreSQL's text). */
const catalogId = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\x00-\x1f\x7f]+$/, "Catalog ids have no control characters.");

/** A hold's id as POST /api/usage/holds gives it: the account it holds on, then a random part. */
export const holdIdSchema = z
  .string()
  .regex(/^hold_[0-9a-f]{64}$/, "Hold ids are the `holdId` POST /api/usage/holds answered.");

export const eventFields = {
  userId: z.uuid(),
  billTo: orgNameSchema.nullish(),
  provider: catalogId(100),
  model: catalogId(300),
  mode: z.enum(["routed", "custom_key"]),
  inputTokens: int32.default(0),
  outputTokens: int32.default(0),
  computeMs: int32.default(0),
};

/**
 * One request reported by an external router. A class larger than its total is refused, not
 * clamped as the router clamps a provider's usage: the sender can correct the event, and
 * guessing which count is wrong would bill a number nobody reported.
 */
export const usageEventSchema = z
  .strictObject({
    id: requestIdSchema,
    ...eventFields,
    cachedInputTokens: int32.default(0).meta({
      description:
        "Of `inputTokens`, those the provider served from its cache (OpenAI's `prompt_tokens_details.cached_tokens`): billed at the provider's cached-input price where the catalog lists one, else as input. At most `inputTokens`.",
    }),
    reasoningTokens: int32.default(0).meta({
      description:
        "Of `outputTokens`, those spent reasoning (OpenAI's `completion_tokens_details.reasoning_tokens`): billed as output, once. At most `outputTokens`.",
    }),
    occurredAt: z.iso.datetime({ offset: true }),
    holdId: holdIdSchema.optional().meta({
      description:
        "The hold (POST /api/usage/holds) this request settles: billed at most the hold's amount, and the hold released.",
    }),
  })
  .refine((e) => e.cachedInputTokens <= e.inputTokens, {
    path: ["cachedInputTokens"],
    message: "Cached input tokens are counted inside inputTokens, so there cannot be more of them.",
  })
  .refine((e) => e.reasoningTokens <= e.outputTokens, {
    path: ["reasoningTokens"],
    message: "Reasoning tokens are counted inside outputTokens, so there cannot be more of them.",
  });

/** What POST /api/usage/holds takes: an event's fields, as the upper bound of what it may cost. */
export const holdBodySchema = z.strictObject({
  ...eventFields,
  mode: z.literal("routed", {
    error:
      "Only routed requests are held: custom-key requests are billed by the provider, so send their events without a holdId.",
  }),
});
