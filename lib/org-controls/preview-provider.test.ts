import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { previewProviderDisable, type ServedBy } from "./preview-provider";

const served: ServedBy[] = [
  { providerId: "groq", modelId: "llama", modelName: "Llama" },
  { providerId: "together", modelId: "llama", modelName: "Llama" },
  { providerId: "groq", modelId: "qwen", modelName: "Qwen" },
  { providerId: "groq", modelId: "mistral", modelName: "Mistral" },
  { providerId: "nebius", modelId: "mistral", modelName: "Mistral" },
  { providerId: "together", modelId: "deepseek", modelName: "DeepSeek" },
];

describe("previewing a provider switched off", () => {
  it("names the models that lose their last provider, counting providers already off as gone", () => {
    const none = previewProviderDisable({
      providerId: "groq",
      month: "2026-10",
      served,
      disabled: new Set(),
      usage: [],
    });
    expect(none.modelsLosingLastProvider.map((m) => m.id)).toEqual(["qwen"]);
    const nebiusOff = previewProviderDisable({
      providerId: "groq",
      month: "2026-10",
      served,
      disabled: new Set(["nebius"]),
      usage: [],
    });
    expect(nebiusOff.modelsLosingLastProvider.map((m) => m.id)).toEqual(["mistral", "qwen"]);
  });

  it("reports last month's share of requests and cost the provider served, with zero in a month without usage", () => {
    const empty = previewProviderDisable({
      providerId: "groq",
      month: "2026-10",
      served,
      disabled: new Set(),
      usage: [],
    });
    expect(empty.lastMonth).toEqual({
      month: "2026-10",
      providerRequests: 0,
      providerCostNano: 0n,
      totalRequests: 0,
      totalCostNano: 0n,
    });
    const p = previewProviderDisable({
      providerId: "groq",
      month: "2026-10",
      served,
      disabled: new Set(),
      usage: [
        { providerId: "groq", modelId: "qwen", requests: 3, costNano: 30n },
        { providerId: "groq", modelId: "llama", requests: 1, costNano: 5n },
        { providerId: "together", modelId: "llama", requests: 6, costNano: 65n },
      ],
    });
    expect(p.lastMonth).toMatchObject({
      providerRequests: 4,
      providerCostNano: 35n,
      totalRequests: 10,
      totalCostNano: 100n,
    });
    expect(p.modelsLosingLastProvider).toEqual([{ id: "qwen", name: "Qwen", lastMonthRequests: 3 }]);
  });

  it("never counts more than the total, and a model losing its last provider is served by no allowed other", () => {
    const ids = ["a", "b", "c", "d"];
    const row = fc.record({
      providerId: fc.constantFrom(...ids),
      modelId: fc.constantFrom("m1", "m2", "m3"),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 12 }),
        fc.subarray(ids),
        fc.constantFrom(...ids),
        fc.array(
          fc.record({
            providerId: fc.constantFrom(...ids),
            modelId: fc.constantFrom("m1", "m2"),
            requests: fc.nat(100),
            costNano: fc.bigInt({ min: 0n, max: 10n ** 9n }),
          }),
        ),
        (pairs, off, provider, usage) => {
          const catalog = pairs.map((p) => ({ ...p, modelName: p.modelId }));
          const p = previewProviderDisable({
            providerId: provider,
            month: "2026-10",
            served: catalog,
            disabled: new Set(off),
            usage,
          });
          expect(p.lastMonth.providerRequests).toBeLessThanOrEqual(p.lastMonth.totalRequests);
          expect(p.lastMonth.providerCostNano).toBeLessThanOrEqual(p.lastMonth.totalCostNano);
          for (const m of p.modelsLosingLastProvider) {
            expect(catalog.some((c) => c.modelId === m.id && c.providerId === provider)).toBe(true);
            expect(
              catalog.some(
                (c) => c.modelId === m.id && c.providerId !== provider && !off.includes(c.providerId),
              ),
            ).toBe(false);
          }
        },
      ),
    );
  });
});
