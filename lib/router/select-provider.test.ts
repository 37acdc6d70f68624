import { describe, expect, it } from "vitest";
import { chooseProvider, type Candidate, type Preferences } from "./select-provider";

const offer = (providerId: string, maxCostNano: bigint, billingIntegrated = true): Candidate => ({
  providerId,
  providerName: providerId,
  modelId: "m",
  upstreamModel: "m",
  baseUrl: "http://127.0.0.1:9/v1",
  billingIntegrated,
  pricingUnit: "token",
  maxCostNano,
});
const prefs = (over: Partial<Preferences> = {}): Preferences => ({
  order: [],
  disabled: new Set(),
  withKey: new Set(),
  ...over,
});

describe("chooseProvider", () => {
  const offers = [offer("a", 300n), offer("b", 100n), offer("c", 200n)];

  it("picks the cheapest for this request when the caller has no preference", () => {
    expect(chooseProvider(offers, prefs())!.providerId).toBe("b");
  });

  it("follows the caller's preference order before price", () => {
    expect(chooseProvider(offers, prefs({ order: ["c", "a"] }))!.providerId).toBe("c");
    expect(chooseProvider(offers, prefs({ order: ["zzz", "a"] }))!.providerId).toBe("a");
  });

  it("skips providers the paying account disabled", () => {
    expect(chooseProvider(offers, prefs({ disabled: new Set(["b"]) }))!.providerId).toBe("c");
    expect(chooseProvider(offers, prefs({ order: ["c"], disabled: new Set(["c"]) }))!.providerId).toBe("b");
  });

  it("uses a provider the platform cannot bill only with the caller's own key", () => {
    const withByok = [offer("byok", 1n, false), offer("x", 500n)];
    expect(chooseProvider(withByok, prefs())!.providerId).toBe("x");
    expect(chooseProvider(withByok, prefs({ withKey: new Set(["byok"]) }))!.providerId).toBe("byok");
  });

  it("returns the best unusable provider when none is usable, so authorization says why", () => {
    const all = new Set(["a", "b", "c"]);
    expect(chooseProvider(offers, prefs({ disabled: all }))!.providerId).toBe("b");
  });

  it("breaks price ties by id and returns null for no candidates", () => {
    expect(chooseProvider([offer("z", 5n), offer("y", 5n)], prefs())!.providerId).toBe("y");
    expect(chooseProvider([], prefs())).toBeNull();
  });
});
