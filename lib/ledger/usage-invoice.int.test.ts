import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoiceDetail } from "@/lib/invoices/history";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard } from "@/lib/ledger/payment-methods";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { testDb } from "@/lib/testing/db";
import { usageView } from "@/lib/usage/usage-view";
import { closeMonth } from "./close-month";
import { billedCents } from "./credits";
import { recordUsage } from "./record-usage";

const db = testDb();
const processor = createLocalProcessor();
/** A second model on test-routed at the same $1 per million input tokens, so a month has two usage lines. */
const MODEL_B = "test/model-rounding";
beforeAll(async () => {
  await ensureTestCatalog(db);
  await db.model.upsert({
    where: { id: MODEL_B },
    create: { id: MODEL_B, displayName: "Test model B" },
    update: {},
  });
  await db.providerModel.upsert({
    where: { providerId_modelId: { providerId: "test-routed", modelId: MODEL_B } },
    create: { providerId: "test-routed", modelId: MODEL_B, upstreamModel: "test-b" },
    update: {},
  });
  await db.price.createMany({
    data: [
      {
        providerId: "test-routed",
        modelId: MODEL_B,
        effectiveFrom: new Date("2020-01-01T00:00:00Z"),
        inputNanoPerMillion: 1_000_000_000n,
        outputNanoPerMillion: 0n,
      },
    ],
    skipDuplicates: true,
  });
}, 60_000);
afterAll(() => db.$disconnect());

const card = { kind: "number" as const, number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" };

/**
 * Issue 17, finding 5: "Monthly credits applied −$2.01" on a plan with $2.00 of credits (−$10.01
 * on $10), while the usage page said $2.00. Usage goes through settlement (recordUsage); the
 * first model's $1.005 is all credits and rounds up to $1.01; the second model's line is the rest
 * of the credits and $2.02 of pay-as-you-go, and ends in half a cent too. Each case closes its own
 * month, so no other test's accounts are in it.
 */
describe.each([
  { plan: "PRO", month: "2030-03", creditsCents: 200 },
  { plan: "Team, 5 seats", month: "2030-04", creditsCents: 1_000 },
])("issue 17 #5: a $plan account past its credits", ({ plan, month, creditsCents }) => {
  it("gets a credits line equal to the usage page's credits, a rounding line, and a total that is the sum of its lines", async () => {
    const payer =
      plan === "PRO"
        ? await userAccount(db, "pro")
        : await orgAccount(db, "team", 5, 1).then((o) => ({
            accountId: o.accountId,
            userId: o.memberIds[0]!,
          }));
    await addCard(db, processor, { accountId: payer.accountId, card });
    const occurredAt = new Date(`${month}-10T12:00:00Z`);
    const tokens = (nano: bigint) => Number(nano / 1_000n); // $1 per million tokens: 1,000 nano each
    const a = 1_005_000_000n; // $1.005, all credits
    const b = BigInt(creditsCents) * 10_000_000n - a + 2_020_000_000n; // the other credits + $2.02
    await recordUsage(
      db,
      routedUsage(payer.accountId, payer.userId, occurredAt, 0, { inputTokens: tokens(a) }),
    );
    const second = await recordUsage(
      db,
      routedUsage(payer.accountId, payer.userId, occurredAt, 0, { modelId: MODEL_B, inputTokens: tokens(b) }),
    );
    expect(second).toMatchObject({ costNano: b, paygNano: 2_020_000_000n });

    const period = new Date(`${month}-01T00:00:00Z`);
    const end = new Date(period);
    end.setUTCMonth(end.getUTCMonth() + 1);
    await closeMonth(db, processor, { period, now: new Date(end.getTime() + 60_000) });

    const invoice = await db.invoice.findFirstOrThrow({
      where: { accountId: payer.accountId, kind: "usage", periodStart: period },
      include: { lines: { orderBy: { position: "asc" } } },
    });
    // The usage page over the invoice's month (GET /api/billing/usage answers usageView).
    const usage = await usageView(db, {
      accountId: payer.accountId,
      from: period,
      to: end,
      groupBy: "model",
    });
    const shown = billedCents({
      creditsNano: BigInt(usage.total.routed.creditsNano),
      paygNano: BigInt(usage.total.routed.paygNano),
    });
    const counters = await db.accountPeriod.findUniqueOrThrow({
      where: { accountId_period: { accountId: payer.accountId, period } },
    });

    const credits = invoice.lines.filter((l) => l.kind === "credits");
    expect(credits.map((l) => -l.amountCents)).toEqual([Number(shown.creditsCents)]);
    expect(shown.creditsCents).toBe(BigInt(creditsCents));
    expect(BigInt(invoice.creditsCents) * 10_000_000n <= counters.creditsIncludedNano).toBe(true);
    expect(invoice.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ["usage", 101],
      ["usage", Number((b + 5_000_000n) / 10_000_000n)],
      ["credits", -creditsCents],
      ["rounding", -1],
    ]);
    expect(invoice.lines.map((l) => l.description)).toContain("Rounding adjustment");
    expect(invoice.amountDueCents).toBe(invoice.lines.reduce((s, l) => s + l.amountCents, 0));
    expect(invoice.amountDueCents).toBe(Number(shown.paygCents));
    expect(invoice).toMatchObject({ amountDueCents: 202, prepaidCents: 0, status: "paid" });

    // The invoice page and PDFs read the rounding line back through the API's shape.
    const detail = await invoiceDetail(db, { accountId: payer.accountId, number: invoice.number });
    expect(detail.lines.map((l) => l.kind)).toEqual(["usage", "usage", "credits", "rounding"]);
  });
});
