import { describe, expect, it } from "vitest";
import { computeCostNano, tokenClasses, tokenCostNano, TOKEN_CLASSES, type TokenUsage } from "./rate";

// $0.28/M input, $0.07/M cached input, $1.14/M output (novita's DeepSeek-V3-0324 in the catalog).
const withCached = {
  inputNanoPerMillion: 280_000_000n,
  outputNanoPerMillion: 1_140_000_000n,
  cachedInputNanoPerMillion: 70_000_000n,
};
// The same provider listing no cached price: cached tokens cost as input.
const noCached = { ...withCached, cachedInputNanoPerMillion: null };

describe("token classes, one rule", () => {
  // Each class alone, at a million tokens so the expected cost reads as the price.
  const M = 1_000_000;
  const cases: {
    name: string;
    usage: TokenUsage;
    price: typeof withCached | typeof noCached;
    nano: bigint;
  }[] = [
    { name: "input", usage: { inputTokens: M, outputTokens: 0 }, price: withCached, nano: 280_000_000n },
    {
      name: "cached input at the cached price",
      usage: { inputTokens: M, outputTokens: 0, cachedInputTokens: M },
      price: withCached,
      nano: 70_000_000n,
    },
    {
      name: "cached input at the input price where the provider lists none",
      usage: { inputTokens: M, outputTokens: 0, cachedInputTokens: M },
      price: noCached,
      nano: 280_000_000n,
    },
    { name: "output", usage: { inputTokens: 0, outputTokens: M }, price: withCached, nano: 1_140_000_000n },
    {
      name: "reasoning, inside output, at the output price (never twice)",
      usage: { inputTokens: 0, outputTokens: M, reasoningTokens: M },
      price: withCached,
      nano: 1_140_000_000n,
    },
    {
      name: "every class at once: 600k uncached + 400k cached input, 300k visible + 200k reasoning output",
      usage: { inputTokens: M, outputTokens: 500_000, cachedInputTokens: 400_000, reasoningTokens: 200_000 },
      price: withCached,
      // 0.6 × 280M + 0.4 × 70M + 0.5 × 1,140M
      nano: 168_000_000n + 28_000_000n + 570_000_000n,
    },
    {
      name: "cached input is part of the prompt (never twice): cached = input bills input at the cached price only",
      usage: { inputTokens: 1_000, outputTokens: 0, cachedInputTokens: 1_000 },
      price: withCached,
      nano: 70_000n,
    },
    {
      name: "more cached than prompt tokens is clamped to the prompt",
      usage: { inputTokens: 1_000, outputTokens: 0, cachedInputTokens: 5_000 },
      price: withCached,
      nano: 70_000n,
    },
    {
      name: "more reasoning than completion tokens is clamped to the completion",
      usage: { inputTokens: 0, outputTokens: 1_000, reasoningTokens: 9_000 },
      price: withCached,
      nano: 1_140_000n,
    },
    {
      name: "classes are summed before rounding: 1 cached + 1 input token at 0.25 + 0.28 nano = 1 nano",
      usage: { inputTokens: 2, outputTokens: 0, cachedInputTokens: 1 },
      price: { inputNanoPerMillion: 280_000n, outputNanoPerMillion: 0n, cachedInputNanoPerMillion: 250_000n },
      nano: 1n,
    },
  ];
  it.each(cases)("$name", ({ usage, price, nano }) => {
    expect(tokenCostNano(usage, price)).toBe(nano);
  });

  it("partitions the usage: the classes' tokens add up to input + output, each within its total", () => {
    const u = tokenClasses({ inputTokens: 10, outputTokens: 7, cachedInputTokens: 12, reasoningTokens: 3 });
    expect(u).toEqual({ inputTokens: 10, outputTokens: 7, cachedInputTokens: 10, reasoningTokens: 3 });
    const counts = Object.fromEntries(TOKEN_CLASSES.map((c) => [c.name, c.tokens(u)]));
    expect(counts).toEqual({ input: 0, cached_input: 10, output: 4, reasoning: 3 });
  });
});

describe("rating", () => {
  it("prices compute time by the hardware's price per second (PRODUCT.md example)", () => {
    // 10 s on hardware at $0.00012/s costs $0.0012.
    expect(computeCostNano(10_000, { nanoPerSecond: 120_000n })).toBe(1_200_000n);
  });

  it("prices tokens per million, input and output separately", () => {
    // 1,000 input at $0.88/M + 500 output at $0.88/M = $0.00132
    const price = { inputNanoPerMillion: 880_000_000n, outputNanoPerMillion: 880_000_000n };
    expect(tokenCostNano({ inputTokens: 1_000, outputTokens: 500 }, price)).toBe(1_320_000n);
  });

  it("keeps sub-nano remainders only to the nearest nano-dollar, rounding half up", () => {
    // 1 token at $0.0000005/M = 0.5 nano -> 1 nano; 1 token at $0.0000004/M -> 0
    expect(
      tokenCostNano(
        { inputTokens: 1, outputTokens: 0 },
        { inputNanoPerMillion: 500_000n, outputNanoPerMillion: 0n },
      ),
    ).toBe(1n);
    expect(
      tokenCostNano(
        { inputTokens: 1, outputTokens: 0 },
        { inputNanoPerMillion: 400_000n, outputNanoPerMillion: 0n },
      ),
    ).toBe(0n);
  });
});
