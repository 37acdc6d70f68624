import { describe, expect, it } from "vitest";
import { computeCostNano, tokenCostNano } from "./rate";

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
