import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateCost, includedCreditsNano } from "./credits";
import { holdFits, paygRoomNano } from "./room";
import { nextThresholdChargeAt, thresholdChargesDue } from "./threshold";
import { storageOverageTb, BYTES_PER_TB } from "@/lib/pricing/storage";
import { formatPeriod, nextPeriod, periodSchema, periodStart, previousPeriod } from "@/lib/kernel/period";

const DOLLAR = 1_000_000_000n;
const CENT = 10_000_000n;

describe("monthly credits", () => {
  it("are $0.10 Free, $2.00 PRO, $2.00 per seat for an org, in one pool", () => {
    expect(includedCreditsNano({ monthlyCreditsNano: DOLLAR / 10n, perSeat: false }, 1)).toBe(100_000_000n);
    expect(includedCreditsNano({ monthlyCreditsNano: 2n * DOLLAR, perSeat: false }, 7)).toBe(2n * DOLLAR);
    expect(includedCreditsNano({ monthlyCreditsNano: 2n * DOLLAR, perSeat: true }, 5)).toBe(10n * DOLLAR);
  });
});

describe("who pays for a request", () => {
  const routed = { mode: "routed" as const, billingIntegrated: true };

  it("uses credits first, then pay-as-you-go", () => {
    expect(allocateCost({ ...routed, costNano: 3n, creditsLeftNano: 5n, payAsYouGo: true })).toEqual({
      ok: true,
      creditsNano: 3n,
      paygNano: 0n,
    });
    expect(allocateCost({ ...routed, costNano: 8n, creditsLeftNano: 5n, payAsYouGo: true })).toEqual({
      ok: true,
      creditsNano: 5n,
      paygNano: 3n,
    });
    expect(allocateCost({ ...routed, costNano: 8n, creditsLeftNano: 0n, payAsYouGo: true })).toEqual({
      ok: true,
      creditsNano: 0n,
      paygNano: 8n,
    });
  });

  it("refuses a Free account's request its credits cannot cover", () => {
    expect(allocateCost({ ...routed, costNano: 8n, creditsLeftNano: 5n, payAsYouGo: false })).toEqual({
      ok: false,
      code: "credits_exhausted",
    });
    expect(allocateCost({ ...routed, costNano: 5n, creditsLeftNano: 5n, payAsYouGo: false })).toMatchObject({
      ok: true,
      creditsNano: 5n,
    });
  });

  it("refuses routed requests to a provider the platform cannot bill", () => {
    expect(
      allocateCost({
        mode: "routed",
        billingIntegrated: false,
        costNano: 1n,
        creditsLeftNano: 5n,
        payAsYouGo: true,
      }),
    ).toEqual({
      ok: false,
      code: "provider_not_integrated",
    });
  });

  it("charges nothing for custom-key requests, integrated or not", () => {
    for (const billingIntegrated of [true, false]) {
      expect(
        allocateCost({
          mode: "custom_key",
          billingIntegrated,
          costNano: 99n,
          creditsLeftNano: 0n,
          payAsYouGo: false,
        }),
      ).toEqual({
        ok: true,
        creditsNano: 0n,
        paygNano: 0n,
      });
    }
  });

  it("property: a month of requests never uses more credits than included, and bills every nano", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n * DOLLAR }),
        fc.array(fc.bigInt({ min: 0n, max: DOLLAR }), { maxLength: 200 }),
        fc.boolean(),
        (included, costs, payg) => {
          let used = 0n;
          let billed = 0n;
          let accepted = 0n;
          for (const costNano of costs) {
            const a = allocateCost({
              ...routed,
              costNano,
              creditsLeftNano: included - used,
              payAsYouGo: payg,
            });
            if (!a.ok) continue;
            used += a.creditsNano;
            billed += a.paygNano;
            accepted += costNano;
            expect(a.creditsNano >= 0n && a.paygNano >= 0n).toBe(true);
          }
          expect(used <= included).toBe(true);
          expect(used + billed).toBe(accepted);
          if (!payg) expect(billed).toBe(0n);
        },
      ),
    );
  });
});

describe("a month's totals", () => {
  const monthTotals = (costs: bigint[], included: bigint) => {
    let credits = 0n;
    let payg = 0n;
    for (const costNano of costs) {
      const a = allocateCost({
        mode: "routed",
        billingIntegrated: true,
        costNano,
        creditsLeftNano: included - credits,
        payAsYouGo: true,
      });
      if (!a.ok) throw new Error("pay-as-you-go accounts are never refused here");
      credits += a.creditsNano;
      payg += a.paygNano;
    }
    return { credits, payg };
  };

  it("property: do not depend on the order the requests were settled in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: DOLLAR }), { maxLength: 100 }),
        fc.bigInt({ min: 0n, max: 20n * DOLLAR }),
        fc.func(fc.integer()),
        (costs, included, key) => {
          const shuffled = [...costs].sort((a, b) => key(a.toString()) - key(b.toString()));
          expect(monthTotals(shuffled, included)).toEqual(monthTotals(costs, included));
        },
      ),
    );
  });
});

describe("threshold charges", () => {
  it("PRODUCT.md: $254 with a $100 threshold -> two charges, $54 left for the invoice", () => {
    expect(thresholdChargesDue({ paygNano: 254n * DOLLAR, chargedNano: 0n, thresholdCents: 10_000 })).toBe(2);
    expect(
      thresholdChargesDue({ paygNano: 254n * DOLLAR, chargedNano: 200n * DOLLAR, thresholdCents: 10_000 }),
    ).toBe(0);
    expect(
      thresholdChargesDue({ paygNano: 99n * DOLLAR + 99n * CENT, chargedNano: 0n, thresholdCents: 10_000 }),
    ).toBe(0);
    expect(thresholdChargesDue({ paygNano: 100n * DOLLAR, chargedNano: 0n, thresholdCents: 10_000 })).toBe(1);
  });

  it("property: charging what is due, step by step, charges floor(total / threshold) times in all", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 50n * DOLLAR }), { maxLength: 50 }),
        fc.integer({ min: 1, max: 100_000 }),
        (steps, thresholdCents) => {
          let payg = 0n;
          let charged = 0n;
          let count = 0;
          for (const step of steps) {
            payg += step;
            const due = thresholdChargesDue({ paygNano: payg, chargedNano: charged, thresholdCents });
            count += due;
            charged += BigInt(due * thresholdCents) * CENT;
          }
          expect(count).toBe(Number(payg / (BigInt(thresholdCents) * CENT)));
          expect(payg - charged < BigInt(thresholdCents) * CENT).toBe(true);
        },
      ),
    );
  });

  it("property: the next charge is due exactly at nextThresholdChargeAt, not a nano-dollar before", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000n * DOLLAR }),
        fc.bigInt({ min: 0n, max: 10_000n * DOLLAR }),
        fc.integer({ min: 1, max: 100_000 }),
        (paygNano, chargedNano, thresholdCents) => {
          const at = nextThresholdChargeAt({ paygNano, chargedNano, thresholdCents });
          const due = (payg: bigint) => thresholdChargesDue({ paygNano: payg, chargedNano, thresholdCents });
          expect(at > paygNano).toBe(true);
          expect(due(at)).toBe(due(paygNano) + 1);
          expect(due(at - 1n)).toBe(due(paygNano));
        },
      ),
    );
  });
});

describe("room under the spending limit", () => {
  it("property: a hold fits exactly when its part beyond the credits the holds leave is within paygRoomNano", () => {
    const amount = fc.bigInt({ min: 0n, max: 1_000n * DOLLAR });
    fc.assert(
      fc.property(
        fc.record({ paygNano: amount, reservedNano: amount, creditsLeftNano: amount, limitNano: amount }),
        amount,
        (m, hold) => {
          const creditsFree = m.creditsLeftNano > m.reservedNano ? m.creditsLeftNano - m.reservedNano : 0n;
          const beyondCredits = hold > creditsFree ? hold - creditsFree : 0n;
          expect(holdFits({ ...m, payAsYouGo: true }, hold)).toBe(beyondCredits <= paygRoomNano(m)!);
        },
      ),
    );
  });

  it("is unbounded without a limit", () => {
    expect(paygRoomNano({ paygNano: 5n, reservedNano: 0n, creditsLeftNano: 0n, limitNano: null })).toBeNull();
  });
});

describe("private storage overage", () => {
  it("bills whole TB above what is included: 1.2 TB over -> 2 TB", () => {
    const tb = BYTES_PER_TB;
    expect(storageOverageTb(0n, 1)).toBe(0n);
    expect(storageOverageTb(tb, 1)).toBe(0n);
    expect(storageOverageTb(tb + 1n, 1)).toBe(1n);
    expect(storageOverageTb((tb * 22n) / 10n, 1)).toBe(2n);
    expect(storageOverageTb((tb * 112n) / 10n, 10)).toBe(2n);
  });
});

describe("billing periods", () => {
  it("are UTC calendar months", () => {
    expect(periodStart(new Date("2026-11-30T23:59:59.999Z")).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(nextPeriod(new Date("2026-12-01T00:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(previousPeriod(new Date("2026-01-01T00:00:00Z")).toISOString()).toBe("2025-12-01T00:00:00.000Z");
    expect(formatPeriod(new Date("2026-03-01T00:00:00Z"))).toBe("2026-03");
    expect(periodSchema.parse("2026-11").toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(periodSchema.safeParse("2026-13").success).toBe(false);
  });
});
