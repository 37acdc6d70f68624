import { describe, expect, it } from "vitest";
import type { LimitPreviewDto, ProviderPreviewDto } from "./api";
import { limitPreviewSentence, providerShareSentence, share } from "./preview-text";

const preview = (over: Partial<LimitPreviewDto>): LimitPreviewDto => ({
  month: "2026-10",
  limitCents: 5_000,
  requests: 10,
  costNano: "100000000000",
  billedPaygNano: "98000000000",
  acceptedPaygNano: "50000000000",
  refused: { requests: 0, costNano: "0", firstAt: null },
  days: [],
  ...over,
});

describe("preview sentences", () => {
  it("say from when, how many requests and how much would have been refused", () => {
    expect(
      limitPreviewSentence(
        preview({
          refused: { requests: 1234, costNano: "56780000000", firstAt: "2026-10-23T14:05:09.000Z" },
        }),
        "en-US",
      ),
    ).toBe(
      "With a $50.00 limit in October 2026, requests would have been refused from Oct 23, 14:05 UTC: 1,234 requests, $56.78.",
    );
  });

  it("say when nothing would have been refused, or there was nothing to replay", () => {
    expect(limitPreviewSentence(preview({}), "en-US")).toBe(
      "With a $50.00 limit in October 2026, no request would have been refused ($50.00 of pay-as-you-go).",
    );
    expect(limitPreviewSentence(preview({ requests: 0 }), "en-US")).toBe(
      "There was no routed usage in October 2026 to try a $50.00 limit on.",
    );
  });

  it("give a provider's share of last month exactly", () => {
    expect(share(1n, 3n, "en-US")).toBe("33.3%");
    expect(share(0n, 0n, "en-US")).toBe("0%");
    const p: ProviderPreviewDto = {
      providerId: "groq",
      displayName: "Groq",
      modelsLosingLastProvider: [],
      lastMonth: {
        month: "2026-10",
        providerRequests: 1,
        providerCostNano: "250000000",
        totalRequests: 4,
        totalCostNano: "1000000000",
      },
    };
    expect(providerShareSentence(p, "Acme", "en-US")).toBe(
      "In October 2026, Groq served 1 request (25% of Acme's) costing $0.25 (25% of the cost).",
    );
  });
});
