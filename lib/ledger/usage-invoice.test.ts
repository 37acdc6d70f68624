import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundNanoToCents } from "@/lib/money/units";
import { billedCents } from "./credits";
import { buildUsageInvoice, type UsageGroup } from "./usage-invoice";

const DOLLAR = 1_000_000_000n;
const group = (providerId: string, costNano: bigint, creditsNano = 0n): UsageGroup => ({
  providerId,
  modelId: "m",
  description: `${providerId} m`,
  requests: 1n,
  costNano,
  creditsNano,
  paygNano: costNano - creditsNano,
});

describe("the month-end usage invoice", () => {
  it("PRODUCT.md: $254 of pay-as-you-go with a $100 threshold -> $100, $100 charged, $54 due", () => {
    // $256 of usage, $2.00 of PRO credits, two threshold payments made
    const invoice = buildUsageInvoice([group("together", 256n * DOLLAR, 2n * DOLLAR)], [10_000n, 10_000n]);
    expect(invoice.subtotalCents).toBe(25_600n);
    expect(invoice.creditsCents).toBe(200n);
    expect(invoice.prepaidCents).toBe(20_000n);
    expect(invoice.amountDueCents).toBe(5_400n);
    expect(invoice.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ["usage", 25_600n],
      ["credits", -200n],
      ["threshold_payment", -10_000n],
      ["threshold_payment", -10_000n],
    ]);
  });

  it("an account within its credits owes nothing, even when line rounding adds up", () => {
    // 3.5 + 3.5 + 3.0 cents = $0.10 exactly, all covered by Free credits; lines round to 4 + 4 + 3.
    const c = 35_000_000n;
    const invoice = buildUsageInvoice(
      [group("a", c, c), group("b", c, c), group("c", 30_000_000n, 30_000_000n)],
      [],
    );
    expect(invoice.subtotalCents).toBe(11n);
    expect(invoice.amountDueCents).toBe(0n);
    // The credits line is the $0.10 of credits used; the cent the lines rounded up is its own line.
    expect(invoice.lines.slice(3).map((l) => [l.kind, l.amountCents])).toEqual([
      ["credits", -10n],
      ["rounding", -1n],
    ]);
  });

  // Issue 17, finding 5: a plan with $2.00 of credits showed "Monthly credits applied −$2.01"
  // ($10.01 on $10, $20.01 on $20), because the drift of the rounded usage lines was put into
  // the credits line. Line a ($1.005, all credits) rounds to $1.01; line b (the rest of the
  // credits, then $2.02 of pay-as-you-go) ends in half a cent too and rounds up.
  it.each([2, 10, 20])(
    "issue 17 #5: on $%i of credits the credits line is the credits used, the drift its own line",
    (dollars) => {
      const plan = BigInt(dollars);
      const half = 5_000_000n; // half a cent
      const a = DOLLAR + half; // $1.005
      const payg = 202n * 10_000_000n; // $2.02
      const b = plan * DOLLAR - a + payg;
      const invoice = buildUsageInvoice([group("a", a, a), group("b", b, plan * DOLLAR - a)], []);
      const credits = invoice.lines.filter((l) => l.kind === "credits");
      expect(credits.map((l) => [l.description, l.amountCents])).toEqual([
        ["Monthly credits applied", -plan * 100n],
      ]);
      expect(invoice.creditsCents).toBe(plan * 100n);
      expect(invoice.lines.map((l) => [l.kind, l.amountCents])).toEqual([
        ["usage", 101n],
        ["usage", roundNanoToCents(b)],
        ["credits", -plan * 100n],
        ["rounding", -1n],
      ]);
      expect(invoice.lines.find((l) => l.kind === "rounding")?.description).toBe("Rounding adjustment");
      // The customer pays their pay-as-you-go, rounded once; the lines add up to it.
      expect(invoice.amountDueCents).toBe(202n);
      expect(invoice.lines.reduce((s, l) => s + l.amountCents, 0n)).toBe(202n);
    },
  );

  it("shows a rounding line that adds back what the usage lines rounded away (never beyond the pay-as-you-go rounded)", () => {
    // Three 0.4-cent lines round to $0.00 each; the exact $0.012 of pay-as-you-go rounds to $0.01.
    const c = 4_000_000n;
    const invoice = buildUsageInvoice([group("a", c), group("b", c), group("c", c)], []);
    expect(invoice.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ["usage", 0n],
      ["usage", 0n],
      ["usage", 0n],
      ["rounding", 1n],
    ]);
    expect(invoice.amountDueCents).toBe(1n);
  });

  it("has no rounding line when the rounded lines add up to the rounded credits and pay-as-you-go", () => {
    const invoice = buildUsageInvoice([group("a", 3n * DOLLAR, 2n * DOLLAR), group("b", DOLLAR)], []);
    expect(invoice.lines.map((l) => l.kind)).toEqual(["usage", "usage", "credits"]);
    expect(invoice.amountDueCents).toBe(200n);
  });

  it("has one line per provider and model, in a stable order", () => {
    const invoice = buildUsageInvoice([group("zeta", DOLLAR), group("alpha", DOLLAR)], []);
    expect(invoice.lines.map((l) => l.providerId)).toEqual(["alpha", "zeta"]);
  });

  const usageGroups = fc.array(
    fc.record({
      cost: fc.bigInt({ min: 0n, max: 500n * DOLLAR }),
      creditShare: fc.integer({ min: 0, max: 100 }),
    }),
    { maxLength: 30 },
  );

  it("property: the amount due is the sum of the lines, and usage − credits + rounding − prepaid", () => {
    fc.assert(
      fc.property(
        usageGroups,
        fc.array(fc.bigInt({ min: 1n, max: 10_000n }), { maxLength: 3 }),
        (raw, payments) => {
          const groups = raw.map((g, i) => group(`p${i}`, g.cost, (g.cost * BigInt(g.creditShare)) / 100n));
          const invoice = buildUsageInvoice(groups, payments);
          const sum = invoice.lines.reduce((s, l) => s + l.amountCents, 0n);
          expect(invoice.amountDueCents).toBe(sum);
          expect(invoice.amountDueCents).toBe(
            invoice.subtotalCents - invoice.creditsCents + invoice.roundingCents - invoice.prepaidCents,
          );
        },
      ),
    );
  });

  it("property: every usage line is within half a cent of its exact amount", () => {
    fc.assert(
      fc.property(usageGroups, (raw) => {
        const invoice = buildUsageInvoice(
          raw.map((g, i) => group(`p${i}`, g.cost)),
          [],
        );
        for (const line of invoice.lines.filter((l) => l.kind === "usage")) {
          const diff = line.amountCents * 10_000_000n - line.amountNano;
          expect(diff <= 5_000_000n && diff > -5_000_000n).toBe(true);
        }
      }),
    );
  });

  it("property: the customer pays their pay-as-you-go rounded once; within credits, nothing", () => {
    fc.assert(
      fc.property(usageGroups, (raw) => {
        const groups = raw.map((g, i) => group(`p${i}`, g.cost, (g.cost * BigInt(g.creditShare)) / 100n));
        const invoice = buildUsageInvoice(groups, []);
        const payg = groups.reduce((s, g) => s + g.paygNano, 0n);
        expect(invoice.amountDueCents).toBe(roundNanoToCents(payg));
        if (payg === 0n) expect(invoice.amountDueCents).toBe(0n);
        expect(invoice.creditsCents >= 0n).toBe(true);
      }),
    );
  });

  // A month as settlement writes it: the plan's credits (whole cents, as in the catalog) are
  // used first, request after request, then the rest is pay-as-you-go; threshold payments are
  // whole thresholds of pay-as-you-go already charged.
  const month = fc
    .record({
      planCents: fc.oneof(fc.constantFrom(10n, 200n, 1_000n, 2_000n), fc.bigInt({ min: 0n, max: 100_000n })),
      costs: fc.array(
        fc.oneof(
          fc.bigInt({ min: 0n, max: 50_000_000n }), // up to 5 cents: where rounding shows
          fc.bigInt({ min: 0n, max: 50n * DOLLAR }),
        ),
        { maxLength: 30 },
      ),
      thresholdCents: fc.bigInt({ min: 100n, max: 10_000n }),
    })
    .map(({ planCents, costs, thresholdCents }) => {
      let left = planCents * 10_000_000n;
      const groups = costs.map((cost, i) => {
        const credits = cost < left ? cost : left;
        left -= credits;
        return group(`p${i}`, cost, credits);
      });
      const payg = groups.reduce((s, g) => s + g.paygNano, 0n);
      const charges = Array.from(
        { length: Number(payg / (thresholdCents * 10_000_000n)) },
        () => thresholdCents,
      );
      return { planCents, groups, charges };
    });

  it("property: credits line = credits used rounded ≤ plan credits; drift only in its own line; due = round(payg) − prepaid", () => {
    fc.assert(
      fc.property(month, ({ planCents, groups, charges }) => {
        const invoice = buildUsageInvoice(groups, charges);
        const creditsNano = groups.reduce((s, g) => s + g.creditsNano, 0n);
        const paygNano = groups.reduce((s, g) => s + g.paygNano, 0n);
        const shown = billedCents({ creditsNano, paygNano });
        const of = (kind: string) => invoice.lines.filter((l) => l.kind === kind);

        // The credits line: exactly the credits used, rounded by the one rule, as the usage
        // page shows them; never more than the plan's credits; absent only when none were used.
        const credits = of("credits");
        expect(credits.map((l) => -l.amountCents)).toEqual(creditsNano === 0n ? [] : [shown.creditsCents]);
        expect(shown.creditsCents).toBe(roundNanoToCents(creditsNano));
        expect(invoice.creditsCents).toBe(shown.creditsCents);
        expect(invoice.creditsCents <= planCents).toBe(true);

        // The total is the sum of the rounded lines, and it is the pay-as-you-go rounded once,
        // less what was prepaid: rounding never makes the customer pay more (or less).
        const prepaid = charges.reduce((s, c) => s + c, 0n);
        const sum = invoice.lines.reduce((s, l) => s + l.amountCents, 0n);
        expect(invoice.amountDueCents).toBe(sum);
        expect(invoice.amountDueCents).toBe(roundNanoToCents(paygNano) - prepaid);
        expect(invoice.amountDueCents >= 0n).toBe(true);

        // The rounding line is the drift of the usage lines, and absent when there is none.
        const usage = of("usage").reduce((s, l) => s + l.amountCents, 0n);
        const drift = shown.creditsCents + shown.paygCents - usage;
        expect(of("rounding").map((l) => l.amountCents)).toEqual(drift === 0n ? [] : [drift]);
        expect(invoice.roundingCents).toBe(drift);
        // Each usage line drifts by at most half a cent; the adjustment by at most that in all
        // (plus the cent the two separate roundings of credits and pay-as-you-go can add).
        const bound = BigInt(of("usage").length) + 2n; // in half cents
        expect(2n * (drift < 0n ? -drift : drift) <= bound).toBe(true);
        // Exact amounts: usage − credits (+ 0 for the rounding line) is the exact pay-as-you-go.
        expect(
          invoice.lines.filter((l) => l.kind !== "threshold_payment").reduce((s, l) => s + l.amountNano, 0n),
        ).toBe(paygNano);
      }),
      { numRuns: 500 },
    );
  });

  it("property: the result does not depend on the order of the groups", () => {
    fc.assert(
      fc.property(usageGroups, (raw) => {
        const groups = raw.map((g, i) => group(`p${i}`, g.cost, (g.cost * BigInt(g.creditShare)) / 100n));
        expect(buildUsageInvoice([...groups].reverse(), [])).toEqual(buildUsageInvoice(groups, []));
      }),
    );
  });
});
