import { describe, expect, it } from "vitest";
import { chooseProvider, policyFor, type Candidate, type Preferences } from "./select-provider";

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
  speeds: new Map(),
  ...over,
});
const pick = (offers: Candidate[], policy: Parameters<typeof chooseProvider>[1], p = prefs()) =>
  chooseProvider(offers, policy, p)?.providerId;

// a is the dearest and the fastest, b the cheapest and the slowest.
const offers = [offer("a", 300n), offer("b", 100n), offer("c", 200n)];
const speeds = new Map([
  ["a", 4000],
  ["b", 1000],
  ["c", 2500],
]);

describe("the policy of a request", () => {
  it("is the one it names; a bare model uses the caller's order if they saved one, else fastest", () => {
    expect(policyFor("cheapest", prefs({ order: ["a"] }))).toBe("cheapest");
    expect(policyFor(null, prefs({ order: ["a"] }))).toBe("preferred");
    expect(policyFor(null, prefs())).toBe("fastest");
  });
});

describe(":cheapest", () => {
  it("picks the lowest cost for this request's bound, whatever the speeds or the order", () => {
    expect(pick(offers, "cheapest", prefs({ speeds, order: ["a"] }))).toBe("b");
  });
  it("breaks a tie in cost by provider id", () => {
    expect(pick([offer("z", 5n), offer("y", 5n), offer("x", 6n)], "cheapest")).toBe("y");
  });
});

describe(":fastest", () => {
  it("picks the highest measured throughput, whatever the cost", () => {
    expect(pick(offers, "fastest", prefs({ speeds }))).toBe("a");
  });
  it("tries a provider not timed yet before the timed ones, so each gets measured", () => {
    expect(pick([...offers, offer("d", 900n)], "fastest", prefs({ speeds }))).toBe("d");
    // None timed: the cheapest first, then by id.
    expect(pick(offers, "fastest")).toBe("b");
  });
  it("breaks a tie in speed by cost, then by provider id", () => {
    const tied = new Map([
      ["a", 2000],
      ["b", 2000],
      ["c", 2000],
    ]);
    expect(pick(offers, "fastest", prefs({ speeds: tied }))).toBe("b");
    expect(pick([offer("z", 5n), offer("y", 5n)], "fastest", prefs({ speeds: tied }))).toBe("y");
  });
});

describe(":preferred", () => {
  it("follows the caller's saved order, skipping providers it does not serve", () => {
    expect(pick(offers, "preferred", prefs({ speeds, order: ["c", "a"] }))).toBe("c");
    expect(pick(offers, "preferred", prefs({ speeds, order: ["zzz", "b"] }))).toBe("b");
  });
  it("puts the providers the caller did not list after, fastest first", () => {
    expect(pick(offers, "preferred", prefs({ speeds, order: ["zzz"] }))).toBe("a");
  });
});

describe("every policy", () => {
  const policies = ["fastest", "cheapest", "preferred"] as const;

  it("skips providers the paying account disabled", () => {
    for (const policy of policies) {
      const p = prefs({ speeds, order: ["a", "b"], disabled: new Set(["a", "b"]) });
      expect(pick(offers, policy, p), policy).toBe("c");
    }
  });

  it("skips a provider without billing integration unless the caller has their own key for it", () => {
    const withByok = [offer("x", 500n), offer("byok", 1n, false)];
    const fast = new Map([
      ["x", 1000],
      ["byok", 5000],
    ]);
    for (const policy of policies) {
      const order = ["byok"];
      expect(pick(withByok, policy, prefs({ speeds: fast, order })), policy).toBe("x");
      expect(pick(withByok, policy, prefs({ speeds: fast, order, withKey: new Set(["byok"]) })), policy).toBe(
        "byok",
      );
    }
  });

  it("returns the best unusable provider when none is usable, so authorization says why", () => {
    const all = new Set(["a", "b", "c"]);
    expect(pick(offers, "cheapest", prefs({ disabled: all }))).toBe("b");
    expect(pick(offers, "fastest", prefs({ speeds, disabled: all }))).toBe("a");
    expect(chooseProvider([], "fastest", prefs())).toBeNull();
  });
});
