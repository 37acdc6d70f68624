import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundNanoToCents } from "@/lib/money/units";
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

  it("property: the amount due is the sum of the lines, and usage − credits − prepaid", () => {
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
            invoice.subtotalCents - invoice.creditsCents - invoice.prepaidCents,
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

  it("property: with credits, the customer pays their pay-as-you-go rounded once; within credits, nothing", () => {
    fc.assert(
      fc.property(usageGroups, (raw) => {
        const groups = raw.map((g, i) => group(`p${i}`, g.cost, (g.cost * BigInt(g.creditShare)) / 100n));
        const invoice = buildUsageInvoice(groups, []);
        const payg = groups.reduce((s, g) => s + g.paygNano, 0n);
        if (invoice.creditsCents > 0n) expect(invoice.amountDueCents).toBe(roundNanoToCents(payg));
        if (payg === 0n) expect(invoice.amountDueCents).toBe(0n);
        expect(invoice.creditsCents >= 0n).toBe(true);
      }),
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
