import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { previewAllowedModels } from "./preview-models";

const usage = [
  { modelId: "a", requests: 10, costNano: 100n },
  { modelId: "b", requests: 3, costNano: 30n },
  { modelId: "c", requests: 5, costNano: 7n },
];

describe("previewAllowedModels", () => {
  it("counts last month's requests on the models left out, most used first", () => {
    expect(previewAllowedModels(["a"], usage)).toEqual({
      refused: {
        requests: 8,
        costNano: 37n,
        models: [
          { id: "c", requests: 5 },
          { id: "b", requests: 3 },
        ],
      },
      total: { requests: 18, costNano: 137n },
    });
  });

  it("refuses nothing when every model is allowed", () => {
    expect(previewAllowedModels(null, usage).refused).toEqual({ requests: 0, costNano: 0n, models: [] });
  });

  it("property: what is refused and what is kept add up to the month", () => {
    const row = fc.record({
      modelId: fc.constantFrom("a", "b", "c", "d"),
      requests: fc.nat(1_000),
      costNano: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    });
    fc.assert(
      fc.property(fc.array(row), fc.subarray(["a", "b", "c", "d"]), (rows, allowed) => {
        const p = previewAllowedModels(allowed, rows);
        const kept = rows.filter((r) => allowed.includes(r.modelId));
        expect(p.refused.requests + kept.reduce((s, r) => s + r.requests, 0)).toBe(p.total.requests);
        expect(p.refused.costNano + kept.reduce((s, r) => s + r.costNano, 0n)).toBe(p.total.costNano);
        expect(p.refused.models.every((m) => !allowed.includes(m.id))).toBe(true);
      }),
    );
  });
});
