import { divRoundHalfUp } from "@/lib/money/units";

const MILLION = 1_000_000n;
const MS_PER_SECOND = 1_000n;

/**
 * A request's tokens as providers report them (OpenAI's usage): cached tokens are part of the
 * prompt (`prompt_tokens_details.cached_tokens`), reasoning tokens part of the completion
 * (`completion_tokens_details.reasoning_tokens`). Absent classes are 0.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

export interface TokenPrice {
  inputNanoPerMillion: bigint;
  outputNanoPerMillion: bigint;
  /** Cached prompt tokens, where the provider lists a price for them; else they cost as input. */
  cachedInputNanoPerMillion?: bigint | null;
}

/**
 * The classes of a usage, each within its total: a provider reporting more cached tokens than
 * prompt tokens (or more reasoning than completion tokens) is clamped to the total, not refused,
 * because the router has already served the answer by then; the total is what the provider
 * counted, so a subclass can only move tokens between prices, never add any.
 */
export function tokenClasses(u: TokenUsage): Required<TokenUsage> {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cachedInputTokens: Math.min(u.cachedInputTokens ?? 0, u.inputTokens),
    reasoningTokens: Math.min(u.reasoningTokens ?? 0, u.outputTokens),
  };
}

/**
 * Every billed token class, and the price it is billed at. The classes partition the usage:
 * input is split into uncached and cached, output into visible and reasoning, so each token is
 * priced exactly once.
 */
export const TOKEN_CLASSES: readonly {
  name: "input" | "cached_input" | "output" | "reasoning";
  tokens: (u: Required<TokenUsage>) => number;
  price: (p: TokenPrice) => bigint;
}[] = [
  { name: "input", tokens: (u) => u.inputTokens - u.cachedInputTokens, price: (p) => p.inputNanoPerMillion },
  {
    name: "cached_input",
    tokens: (u) => u.cachedInputTokens,
    price: (p) => p.cachedInputNanoPerMillion ?? p.inputNanoPerMillion,
  },
  { name: "output", tokens: (u) => u.outputTokens - u.reasoningTokens, price: (p) => p.outputNanoPerMillion },
  // Reasoning is output the caller does not see: billed as output, inside outputTokens.
  { name: "reasoning", tokens: (u) => u.reasoningTokens, price: (p) => p.outputNanoPerMillion },
];

/** Token-priced request: each class's tokens × its price per million, rounded once to the nano. */
export function tokenCostNano(usage: TokenUsage, price: TokenPrice): bigint {
  const u = tokenClasses(usage);
  let total = 0n;
  for (const c of TOKEN_CLASSES) total += BigInt(c.tokens(u)) * c.price(price);
  return divRoundHalfUp(total, MILLION);
}

/** Compute-priced request (hf-inference): seconds of compute × the hardware's price per second. */
export function computeCostNano(computeMs: number, price: { nanoPerSecond: bigint }): bigint {
  return divRoundHalfUp(BigInt(computeMs) * price.nanoPerSecond, MS_PER_SECOND);
}
