import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateCost } from "@/lib/ledger/credits";
import { previewLimit, type ReplayRequest } from "./preview-limit";

const CENT = 10_000_000n;
const DOLLAR = 100n * CENT;
const MONTH = Date.UTC(2026, 9, 1); // October 2026

/** Requests of the given costs, one an hour from the start of the month (24 a day). */
const hourly = (costs: bigint[]): ReplayRequest[] =>
  costs.map((costNano, i) => ({ costNano, occurredAt: new Date(MONTH + i * 3_600_000) }));

/** A month of traffic: random costs up to $5 at random, sorted times within the month. */
const traffic = fc
  .array(
    fc.record({
      costNano: fc.bigInt({ min: 0n, max: 5n * DOLLAR }),
      offsetMs: fc.integer({ min: 0, max: 31 * 86_400_000 - 1 }),
    }),
    { maxLength: 200 },
  )
  .map((rows) =>
    rows
      .sort((a, b) => a.offsetMs - b.offsetMs)
      .map((r) => ({ costNano: r.costNano, occurredAt: new Date(MONTH + r.offsetMs) })),
  );
const credits = fc.bigInt({ min: 0n, max: 20n * DOLLAR });
const limitCents = fc.integer({ min: 0, max: 50_000 });

describe("previewing a spending limit on last month's traffic", () => {
  it("refuses nothing in a month with no usage", () => {
    const p = previewLimit([], { limitCents: 0, creditsIncludedNano: 0n });
    expect(p).toMatchObject({ requests: 0, costNano: 0n, acceptedPaygNano: 0n, days: [] });
    expect(p.refused).toEqual({ requests: 0, costNano: 0n, firstAt: null });
  });

  it("refuses from the first request when the limit is already exceeded at the start ($0, no credits)", () => {
    const month = hourly([DOLLAR, 2n * DOLLAR, CENT]);
    const p = previewLimit(month, { limitCents: 0, creditsIncludedNano: 0n });
    expect(p.refused).toEqual({ requests: 3, costNano: 3n * DOLLAR + CENT, firstAt: month[0]!.occurredAt });
    expect(p.acceptedPaygNano).toBe(0n);
  });

  it("with a $0 limit, lets requests through while credits cover them, even after a refusal", () => {
    // $2 of credits: $1.50 passes, $1 is refused (50¢ left), 40¢ passes on credits.
    const month = hourly([150n * CENT, DOLLAR, 40n * CENT]);
    const p = previewLimit(month, { limitCents: 0, creditsIncludedNano: 2n * DOLLAR });
    expect(p.refused).toEqual({ requests: 1, costNano: DOLLAR, firstAt: month[1]!.occurredAt });
    expect(p.acceptedCreditsNano).toBe(190n * CENT);
    expect(p.acceptedPaygNano).toBe(0n);
  });

  it("refuses nothing when the limit is never reached, and bills as the ledger did", () => {
    const month = hourly(Array.from({ length: 48 }, (_, i) => BigInt(i + 1) * CENT));
    const total = month.reduce((s, r) => s + r.costNano, 0n);
    const p = previewLimit(month, { limitCents: 1_000_000, creditsIncludedNano: 2n * DOLLAR });
    expect(p.refused.requests).toBe(0);
    expect(p.acceptedCreditsNano).toBe(2n * DOLLAR);
    expect(p.acceptedPaygNano).toBe(total - 2n * DOLLAR);
    expect(p.days.map((d) => [d.day, d.requests])).toEqual([
      ["2026-10-01", 24],
      ["2026-10-02", 24],
    ]);
  });

  it("accepts the request that reaches the limit exactly, and refuses one a cent over", () => {
    const month = hourly(Array.from({ length: 10 }, () => DOLLAR));
    expect(previewLimit(month, { limitCents: 800, creditsIncludedNano: 2n * DOLLAR }).refused.requests).toBe(
      0,
    );
    const p = previewLimit(month, { limitCents: 799, creditsIncludedNano: 2n * DOLLAR });
    expect(p.refused).toEqual({ requests: 1, costNano: DOLLAR, firstAt: month[9]!.occurredAt });
    expect(p.acceptedPaygNano).toBe(7n * DOLLAR);
  });

  it("counts refusals per day, from the first refused request on", () => {
    // 24 requests of $1 a day for 3 days, $50 limit, no credits: day 3 refused from its 3rd request.
    const month = hourly(Array.from({ length: 72 }, () => DOLLAR));
    const p = previewLimit(month, { limitCents: 5_000, creditsIncludedNano: 0n });
    expect(p.refused.firstAt).toEqual(new Date(Date.UTC(2026, 9, 3, 2)));
    expect(p.days.map((d) => [d.day, d.refusedRequests, d.refusedCostNano])).toEqual([
      ["2026-10-01", 0, 0n],
      ["2026-10-02", 0, 0n],
      ["2026-10-03", 22, 22n * DOLLAR],
    ]);
  });

  it("can refuse more requests under a higher limit, when a big request then takes the room", () => {
    // Greedy, like enforcement: at $12 the $7 and a $5 fill the room and the small ones after are refused; at $10 they pass.
    const month = hourly([7n, 5n, 5n, 2n, 7n, 1n].map((d) => d * DOLLAR));
    const low = previewLimit(month, { limitCents: 1_000, creditsIncludedNano: 0n });
    const high = previewLimit(month, { limitCents: 1_200, creditsIncludedNano: 0n });
    expect([low.refused.requests, high.refused.requests]).toEqual([3, 4]);
    expect(high.refused.costNano).toBeLessThan(low.refused.costNano);
  });

  it("conserves money: accepted + refused = the month's cost, and accepted pay-as-you-go stays within the limit", () => {
    fc.assert(
      fc.property(traffic, credits, limitCents, (month, creditsIncludedNano, cents) => {
        const p = previewLimit(month, { limitCents: cents, creditsIncludedNano });
        expect(p.acceptedCreditsNano + p.acceptedPaygNano + p.refused.costNano).toBe(p.costNano);
        expect(p.acceptedPaygNano).toBeLessThanOrEqual(BigInt(cents) * CENT);
        expect(p.acceptedCreditsNano).toBeLessThanOrEqual(creditsIncludedNano);
        expect(p.days.reduce((s, d) => s + d.refusedRequests, 0)).toBe(p.refused.requests);
        expect(p.days.reduce((s, d) => s + d.costNano, 0n)).toBe(p.costNano);
        expect(p.requests).toBe(month.length);
      }),
    );
  });

  it("a higher limit never refuses more spend, nor earlier", () => {
    fc.assert(
      fc.property(
        traffic,
        credits,
        limitCents,
        fc.integer({ min: 1, max: 10_000 }),
        (month, c, cents, more) => {
          const low = previewLimit(month, { limitCents: cents, creditsIncludedNano: c });
          const high = previewLimit(month, { limitCents: cents + more, creditsIncludedNano: c });
          expect(high.refused.costNano).toBeLessThanOrEqual(low.refused.costNano);
          if (high.refused.firstAt)
            expect(high.refused.firstAt.getTime()).toBeGreaterThanOrEqual(low.refused.firstAt!.getTime());
        },
      ),
    );
  });

  it("with a limit above the month's cost, bills exactly as the ledger's allocation did", () => {
    fc.assert(
      fc.property(traffic, credits, (month, creditsIncludedNano) => {
        let left = creditsIncludedNano;
        let payg = 0n;
        for (const r of month) {
          const a = allocateCost({
            costNano: r.costNano,
            mode: "routed",
            billingIntegrated: true,
            creditsLeftNano: left,
            payAsYouGo: true,
          });
          if (!a.ok) throw new Error("unreachable");
          left -= a.creditsNano;
          payg += a.paygNano;
        }
        const p = previewLimit(month, { limitCents: 2_000_000_000, creditsIncludedNano });
        expect(p.refused.requests).toBe(0);
        expect(p.acceptedPaygNano).toBe(payg);
        expect(p.acceptedCreditsNano).toBe(creditsIncludedNano - left);
      }),
    );
  });
});
