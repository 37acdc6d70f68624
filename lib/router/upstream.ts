import { z } from "zod";
import { tokenClasses } from "@/lib/pricing/rate";

/** What the router sends a provider: an OpenAI chat completion body, with its credential. */
export interface UpstreamRequest {
  providerId: string;
  baseUrl: string;
  /** The platform's credential or the caller's own key: exactly one of them, never the caller's access token. */
  apiKey: string;
  body: Record<string, unknown>;
  signal: AbortSignal;
}

const tokenCount = z.number().int().min(0);

/** OpenAI's usage: cached tokens are counted inside prompt_tokens, reasoning inside completion_tokens. */
export const upstreamUsageSchema = z.looseObject({
  prompt_tokens: tokenCount,
  completion_tokens: tokenCount,
  prompt_tokens_details: z.looseObject({ cached_tokens: tokenCount.nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: tokenCount.nullish() }).nullish(),
});
export type UpstreamUsage = z.infer<typeof upstreamUsageSchema>;

/** A provider's usage as the ledger rates it: every token class, each within its total (tokenClasses). */
export const usageClasses = (u: UpstreamUsage) =>
  tokenClasses({
    inputTokens: u.prompt_tokens,
    outputTokens: u.completion_tokens,
    cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  });

export const completionSchema = z.looseObject({
  id: z.string().optional(),
  choices: z.array(z.looseObject({})),
  usage: upstreamUsageSchema.nullish(),
});
export type UpstreamCompletion = z.infer<typeof completionSchema>;

export const chunkSchema = z.looseObject({
  choices: z
    .array(z.looseObject({ delta: z.looseObject({ content: z.string().nullish() }).optional() }))
    .optional(),
  usage: upstreamUsageSchema.nullish(),
});
export type UpstreamChunk = z.infer<typeof chunkSchema>;

/**
 * A provider as the router sees it: a real OpenAI-compatible HTTP endpoint, or the built-in
 * sandbox. `computeMs` is the provider's own measure of compute when it reports one.
 */
export interface Upstream {
  complete(req: UpstreamRequest): Promise<{ completion: UpstreamCompletion; computeMs?: number }>;
  stream(req: UpstreamRequest): AsyncIterable<UpstreamChunk>;
}

/** A provider's failure, as the caller should see it: what happened and what to do. */
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
