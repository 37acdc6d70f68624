import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard, listCards, removeCard, setDefaultCard } from "@/lib/ledger/payment-methods";
import { BYTES_PER_TB } from "@/lib/pricing/storage";
import { recordUsage } from "./record-usage";
import { collectThresholdCharges } from "./collect-threshold-charges";
import { closeMonth } from "./close-month";
import { chargeInvoice } from "./pay-invoice";
import { cancelSubscription, renewSubscriptions, subscribePro } from "./subscriptions";
import { billingNow, setBillingNow } from "@/lib/kernel/clock";

const db = testDb();
const processor = createLocalProcessor();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const card = (number: string) => ({
  kind: "number" as const,
  number,
  expMonth: 12,
  expYear: 2099,
  cvc: "123",
});
/** Each scenario bills its own month, so closing one never touches another's accounts. */
const at = (month: string, dayOfMonth = 10) =>
  new Date(`${month}-${String(dayOfMonth).padStart(2, "0")}T12:00:00Z`);

async function periodOf(accountId: string, month: string) {
  return db.accountPeriod.findUniqueOrThrow({
    where: { accountId_period: { accountId, period: new Date(`${month}-01T00:00:00Z`) } },
  });
}

describe("a Free user", () => {
  it("uses $0.10 of credits, then routed requests are refused and nothing is written", async () => {
    const { accountId, userId } = await userAccount(db, "free");
    for (let i = 0; i < 3; i++) {
      expect(await recordUsage(db, routedUsage(accountId, userId, at("2026-01"), 3))).toMatchObject({
        creditsNano: 30_000_000n,
        paygNano: 0n,
      });
    }
    const refused = routedUsage(accountId, userId, at("2026-01"), 3);
    await expect(recordUsage(db, refused)).rejects.toMatchObject({ status: 402, code: "credits_exhausted" });
    expect(await db.usageEvent.findFirst({ where: { id: refused.id } })).toBeNull();
    // The last cent still fits exactly.
    await recordUsage(db, routedUsage(accountId, userId, at("2026-01"), 1));
    expect(await periodOf(accountId, "2026-01")).toMatchObject({
      creditsIncludedNano: 100_000_000n,
      creditsUsedNano: 100_000_000n,
      paygNano: 0n,
    });
    // Credits renew on the 1st and do not roll over.
    expect(await recordUsage(db, routedUsage(accountId, userId, at("2026-02", 1), 5))).toMatchObject({
      creditsNano: 50_000_000n,
    });
    expect(await periodOf(accountId, "2026-02")).toMatchObject({
      creditsIncludedNano: 100_000_000n,
      creditsUsedNano: 50_000_000n,
    });
  });

  it("can still use a custom key, which costs nothing and touches no credits", async () => {
    const { accountId, userId } = await userAccount(db, "free");
    const result = await recordUsage(
      db,
      routedUsage(accountId, userId, at("2026-01"), 50, { mode: "custom_key", providerId: "test-byok" }),
    );
    expect(result).toMatchObject({ costNano: 500_000_000n, creditsNano: 0n, paygNano: 0n });
    expect(await periodOf(accountId, "2026-01")).toMatchObject({ creditsUsedNano: 0n, paygNano: 0n });
  });

  it("is refused routed requests to a provider that is not billing-integrated", async () => {
    const { accountId, userId } = await userAccount(db, "free");
    await expect(
      recordUsage(db, routedUsage(accountId, userId, at("2026-01"), 1, { providerId: "test-byok" })),
    ).rejects.toMatchObject({
      status: 403,
      code: "provider_not_integrated",
    });
  });
});

describe("usage events", () => {
  it("count once, however often the same id is recorded", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const event = routedUsage(accountId, userId, at("2026-02"), 250);
    expect((await recordUsage(db, event)).duplicate).toBe(false);
    expect((await recordUsage(db, event)).duplicate).toBe(true);
    await Promise.all([recordUsage(db, event), recordUsage(db, event)]);
    // A new id settled by 10 requests at once: one records it, the rest see a duplicate.
    const racing = routedUsage(accountId, userId, at("2026-02"), 100);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => recordUsage(db, racing)));
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
    expect(await periodOf(accountId, "2026-02")).toMatchObject({
      creditsUsedNano: 2_000_000_000n,
      paygNano: 1_500_000_000n,
    });
    const [rollup] = await db.usageDaily.findMany({ where: { accountId } });
    expect(rollup).toMatchObject({ requests: 2, costNano: 3_500_000_000n });
  });

  it("are rated at the price in force when they ran", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await db.hardwarePrice.upsert({
      where: {
        hardware_effectiveFrom: { hardware: "test-gpu", effectiveFrom: new Date("2026-03-15T00:00:00Z") },
      },
      create: {
        hardware: "test-gpu",
        effectiveFrom: new Date("2026-03-15T00:00:00Z"),
        nanoPerSecond: 240_000n,
      },
      update: {},
    });
    const compute = (day: number) =>
      routedUsage(accountId, userId, at("2026-03", day), 0, {
        providerId: "test-compute",
        inputTokens: 0,
        computeMs: 10_000,
      });
    // PRODUCT.md: 10 s on hardware at $0.00012/s costs $0.0012 ...
    expect((await recordUsage(db, compute(10))).costNano).toBe(1_200_000n);
    // ... and after the price doubled on the 15th, $0.0024.
    expect((await recordUsage(db, compute(20))).costNano).toBe(2_400_000n);
  });
});

describe("a PRO user crossing the threshold twice ($254 of pay-as-you-go)", () => {
  it("is charged $100, $100, then $54 on the month-end invoice, exactly once", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    // $256 of usage: $2.00 of credits, then $254 of pay-as-you-go.
    for (let i = 0; i < 25; i++) {
      await recordUsage(db, routedUsage(accountId, userId, at("2026-04", 1 + i), 1_000));
      await collectThresholdCharges(db, processor, accountId);
    }
    await recordUsage(db, routedUsage(accountId, userId, at("2026-04", 28), 600));
    await collectThresholdCharges(db, processor, accountId);

    const charges = await db.thresholdCharge.findMany({
      where: { accountId },
      include: { payment: true },
      orderBy: { seq: "asc" },
    });
    expect(charges.map((c) => [c.seq, c.amountCents, c.payment?.status])).toEqual([
      [1, 10_000, "succeeded"],
      [2, 10_000, "succeeded"],
    ]);

    const now = new Date("2026-05-01T00:10:00Z");
    const first = await closeMonth(db, processor, { period: new Date("2026-04-01T00:00:00Z"), now });
    expect(first.invoicesCreated).toBeGreaterThanOrEqual(1);
    const invoice = await db.invoice.findFirstOrThrow({
      where: { accountId, kind: "usage" },
      include: { lines: { orderBy: { position: "asc" } } },
    });
    expect(invoice).toMatchObject({
      subtotalCents: 25_600,
      creditsCents: 200,
      prepaidCents: 20_000,
      amountDueCents: 5_400,
      status: "paid",
    });
    expect(invoice.number).toMatch(/^INV-202604-\d{6}$/);
    expect(invoice.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ["usage", 25_600],
      ["credits", -200],
      ["threshold_payment", -10_000],
      ["threshold_payment", -10_000],
    ]);
    const paymentsBefore = await db.payment.count({ where: { accountId } });

    // Closing again changes nothing: no second invoice, no second charge.
    await closeMonth(db, processor, { period: new Date("2026-04-01T00:00:00Z"), now });
    await collectThresholdCharges(db, processor, accountId);
    expect(await db.invoice.count({ where: { accountId, kind: "usage" } })).toBe(1);
    expect(await db.payment.count({ where: { accountId } })).toBe(paymentsBefore);
    const charged = await db.payment.aggregate({
      where: { accountId, status: "succeeded", kind: { in: ["threshold_charge", "invoice_charge"] } },
      _sum: { amountCents: true },
    });
    expect(charged._sum.amountCents).toBe(25_400);
  });

  it("has threshold charges made exactly once under concurrent settlement", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    // 30 concurrent $10 requests: $300 - $2 credits = $298 of pay-as-you-go -> 2 charges of $100.
    await Promise.all(
      Array.from({ length: 30 }, () => recordUsage(db, routedUsage(accountId, userId, at("2026-05"), 1_000))),
    );
    const charges = await db.thresholdCharge.findMany({ where: { accountId }, orderBy: { seq: "asc" } });
    expect(charges.map((c) => c.seq)).toEqual([1, 2]);
    expect(await periodOf(accountId, "2026-05")).toMatchObject({
      paygNano: 298_000_000_000n,
      thresholdChargedNano: 200_000_000_000n,
    });
  });
});

describe("closing a month", () => {
  it("property: whatever the month's traffic, closing again changes nothing, and the invoice equals the counters", async () => {
    const period = new Date("2026-08-01T00:00:00Z");
    const now = new Date("2026-09-01T00:00:01Z");
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ cents: fc.integer({ min: 0, max: 5_000 }), day: fc.integer({ min: 1, max: 31 }) }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.boolean(),
        async (requests, goodCard) => {
          const { accountId, userId } = await userAccount(db, "pro");
          await addCard(db, processor, {
            accountId,
            card: card(goodCard ? "4242424242424242" : "4000000000000341"),
          });
          for (const r of requests) {
            await recordUsage(db, routedUsage(accountId, userId, at("2026-08", r.day), r.cents));
            await collectThresholdCharges(db, processor, accountId);
          }
          await closeMonth(db, processor, { period, now });
          const snapshot = async () => ({
            invoices: await db.invoice.findMany({
              where: { accountId },
              include: { lines: true },
              orderBy: { number: "asc" },
            }),
            payments: await db.payment.findMany({ where: { accountId }, orderBy: { idempotencyKey: "asc" } }),
          });
          const first = await snapshot();
          await closeMonth(db, processor, { period, now });
          expect(await snapshot()).toEqual(first);

          const [invoice] = first.invoices.filter((i) => i.kind === "usage");
          const counters = await periodOf(accountId, "2026-08");
          const exact = counters.paygNano;
          // Due + prepaid is the month's pay-as-you-go, rounded once to the cent.
          expect(BigInt(invoice!.amountDueCents + invoice!.prepaidCents)).toBe(
            (exact + 5_000_000n) / 10_000_000n,
          );
          expect(invoice!.status).toBe(invoice!.amountDueCents === 0 || goodCard ? "paid" : "failed");
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  it("after a crash between recording a charge as pending and its answer, closing again charges it exactly once", async () => {
    const period = new Date("2027-05-01T00:00:00Z");
    const now = new Date("2027-06-01T00:00:01Z");
    const { accountId, userId } = await userAccount(db, "pro");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    await recordUsage(db, routedUsage(accountId, userId, at("2027-05"), 1_234)); // $12.34 - $2.00 credits
    const keys: string[] = [];
    const dying = {
      ...processor,
      charge: async (input: Parameters<typeof processor.charge>[0]) => {
        keys.push(input.idempotencyKey);
        throw new Error("the process died before the processor answered");
      },
    };
    await expect(closeMonth(db, dying, { period, now })).rejects.toThrow(/process died/);
    const invoice = await db.invoice.findFirstOrThrow({ where: { accountId, kind: "usage" } });
    expect(await db.payment.findMany({ where: { invoiceId: invoice.id } })).toMatchObject([
      { status: "pending" },
    ]);

    const counting = {
      ...processor,
      charge: (input: Parameters<typeof processor.charge>[0]) => (
        keys.push(input.idempotencyKey),
        processor.charge(input)
      ),
    };
    expect(await closeMonth(db, counting, { period, now })).toMatchObject({ invoicesCreated: 0, charged: 1 });
    expect(keys).toEqual([`invoice:${invoice.id}:1`, `invoice:${invoice.id}:1`]); // one charge at the processor
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
    });
    expect(await db.payment.findMany({ where: { invoiceId: invoice.id } })).toMatchObject([
      { status: "succeeded", amountCents: 1_034 },
    ]);
    await closeMonth(db, counting, { period, now });
    expect(keys).toHaveLength(2);
  });

  it("after a crash between a charge's answer and the invoice's update, closing again (or paying online) marks it paid and charges nothing", async () => {
    const period = new Date("2027-07-01T00:00:00Z");
    const now = new Date("2027-08-01T00:00:01Z");
    const { accountId, userId } = await userAccount(db, "pro");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    await recordUsage(db, routedUsage(accountId, userId, at("2027-07"), 1_234));
    await closeMonth(db, processor, { period, now });
    const invoice = await db.invoice.findFirstOrThrow({ where: { accountId, kind: "usage" } });
    // The charge succeeded and was recorded; the process died before the invoice said so.
    await db.invoice.update({ where: { id: invoice.id }, data: { status: "open", paidAt: null } });

    let charges = 0;
    const counting = {
      ...processor,
      charge: (input: Parameters<typeof processor.charge>[0]) => ((charges += 1), processor.charge(input)),
    };
    const online = await addCard(db, processor, { accountId, card: card("5555555555554444") });
    expect(
      await chargeInvoice(db, counting, {
        invoiceId: invoice.id,
        paymentMethodId: online.id,
      }),
    ).toMatchObject({ status: "paid" });
    await db.invoice.update({ where: { id: invoice.id }, data: { status: "open", paidAt: null } });
    expect(await closeMonth(db, counting, { period, now })).toMatchObject({ invoicesCreated: 0, charged: 1 });

    expect(charges).toBe(0);
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
    });
    expect(await db.payment.findMany({ where: { invoiceId: invoice.id } })).toMatchObject([
      { status: "succeeded", amountCents: 1_034 },
    ]);
  });
});

describe("a Team org with 5 seats", () => {
  it("shares one $10.00 pool of credits across its members, and records who used what", async () => {
    const org = await orgAccount(db, "team", 5, 3);
    for (const member of org.memberIds) {
      await recordUsage(db, routedUsage(org.accountId, member, at("2026-06"), 400));
    }
    expect(await periodOf(org.accountId, "2026-06")).toMatchObject({
      creditsIncludedNano: 10_000_000_000n,
      creditsUsedNano: 10_000_000_000n,
      paygNano: 2_000_000_000n,
    });
    const byMember = await db.usageDaily.groupBy({
      by: ["userId"],
      where: { accountId: org.accountId },
      _sum: { costNano: true },
    });
    expect(byMember.map((m) => m._sum.costNano)).toEqual([4_000_000_000n, 4_000_000_000n, 4_000_000_000n]);
  });
});

describe("a declined card at month end", () => {
  it("leaves the invoice unpaid, and it is paid online with another card", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await addCard(db, processor, { accountId, card: card("4000000000000341") }); // saves, but charges decline
    await recordUsage(db, routedUsage(accountId, userId, at("2026-07"), 1_234)); // $12.34 - $2.00 credits
    await closeMonth(db, processor, {
      period: new Date("2026-07-01T00:00:00Z"),
      now: new Date("2026-08-02T00:00:00Z"),
    });
    const invoice = await db.invoice.findFirstOrThrow({ where: { accountId, kind: "usage" } });
    expect(invoice).toMatchObject({ status: "failed", amountDueCents: 1_034, paidAt: null });
    const failed = await db.payment.findFirstOrThrow({ where: { invoiceId: invoice.id } });
    expect(failed).toMatchObject({ status: "failed", failureCode: "card_declined" });
    expect(failed.failureMessage).toMatch(/3-D Secure|recurring/);

    const good = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const paid = await chargeInvoice(db, processor, {
      invoiceId: invoice.id,
      paymentMethodId: good.id,
    });
    expect(paid.status).toBe("paid");
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
    });
    // The same attempt again charges nothing more.
    await chargeInvoice(db, processor, {
      invoiceId: invoice.id,
      paymentMethodId: good.id,
    });
    expect(await db.payment.count({ where: { invoiceId: invoice.id, status: "succeeded" } })).toBe(1);
  });

  it("refuses to close a month that is not over", async () => {
    await expect(
      closeMonth(db, processor, {
        period: new Date("2026-07-01T00:00:00Z"),
        now: new Date("2026-07-31T23:59:59Z"),
      }),
    ).rejects.toMatchObject({
      status: 409,
      code: "month_not_over",
    });
  });
});

describe("cards", () => {
  it("are checked with a $10 hold that is released, and a declined card is not saved", async () => {
    const { accountId } = await userAccount(db, "free");
    const saved = await addCard(db, processor, { accountId, card: card("4242 4242 4242 4242") });
    expect(saved).toMatchObject({ brand: "visa", last4: "4242", isDefault: true });
    const holds = await db.payment.findMany({ where: { accountId }, orderBy: { kind: "asc" } });
    expect(holds.map((p) => [p.kind, p.status, p.amountCents])).toEqual([
      ["authorization_hold", "succeeded", 1_000],
      ["hold_release", "succeeded", 1_000],
    ]);
    await expect(addCard(db, processor, { accountId, card: card("4000000000000002") })).rejects.toMatchObject(
      { status: 402, code: "card_declined" },
    );
    await expect(addCard(db, processor, { accountId, card: card("4000000000003220") })).rejects.toMatchObject(
      { code: "authentication_required" },
    );
    expect(await db.paymentMethod.count({ where: { accountId } })).toBe(1);
  });
});

describe("card management", () => {
  it("sets the default card, and removing the default promotes the newest remaining one", async () => {
    const { accountId } = await userAccount(db, "pro");
    const other = await userAccount(db, "pro");
    const first = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const second = await addCard(db, processor, { accountId, card: card("5555555555554444") });
    expect((await listCards(db, accountId)).map((c) => [c.last4, c.isDefault])).toEqual([
      ["4242", true],
      ["4444", false],
    ]);
    await setDefaultCard(db, { accountId, paymentMethodId: second.id });
    expect((await listCards(db, accountId))[0]).toMatchObject({ id: second.id, isDefault: true });
    await removeCard(db, { accountId, paymentMethodId: second.id });
    expect(await listCards(db, accountId)).toMatchObject([{ id: first.id, isDefault: true }]);
    // Another account's card is "not found", never touched.
    await expect(
      removeCard(db, { accountId: other.accountId, paymentMethodId: first.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(setDefaultCard(db, { accountId, paymentMethodId: second.id })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("charges", () => {
  it("raced by several collectors are one payment each (repeated processor calls share one idempotency key)", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    let calls = 0;
    const counting = {
      ...processor,
      charge: (...args: Parameters<typeof processor.charge>) => ((calls += 1), processor.charge(...args)),
    };
    // $302 of usage - $2 of credits = $300 of pay-as-you-go: three threshold charges; four collectors race for them.
    await recordUsage(db, routedUsage(accountId, userId, at("2026-05", 3), 30_200));
    await Promise.all(Array.from({ length: 4 }, () => collectThresholdCharges(db, counting, accountId)));
    const payments = await db.payment.findMany({ where: { accountId, kind: "threshold_charge" } });
    expect(payments.map((p) => p.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(calls).toBeGreaterThanOrEqual(3);
    const charges = await db.thresholdCharge.findMany({ where: { accountId } });
    expect(charges.every((c) => c.paymentId !== null)).toBe(true);
  });
});

describe("subscriptions", () => {
  it("PRO: subscribe charges the first month; cancel lasts to the period end, then the account is Free", async () => {
    const { accountId } = await userAccount(db, "free");
    await expect(subscribePro(db, processor, { accountId, now: new Date() })).rejects.toMatchObject({
      status: 402,
    });
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const now = new Date("2026-09-10T08:00:00Z");
    const sub = await subscribePro(db, processor, { accountId, now });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "pro",
    });
    expect(await db.invoice.findFirstOrThrow({ where: { accountId, kind: "subscription" } })).toMatchObject({
      status: "paid",
      amountDueCents: 900,
    });

    await cancelSubscription(db, { accountId, now: new Date("2026-09-20T00:00:00Z") });
    await renewSubscriptions(db, processor, { now: new Date("2026-10-09T00:00:00Z") });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "pro",
    }); // still paid for
    await renewSubscriptions(db, processor, { now: sub.currentPeriodEnd });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "free",
    });
    expect(await db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      status: "canceled",
    });
    // The plan's end is in the audit log, made by no person.
    expect(
      await db.auditLog.findMany({
        where: { accountId, action: "billing.plan.update" },
        select: { actorUserId: true, before: true, after: true },
      }),
    ).toEqual([{ actorUserId: null, before: { plan: "pro" }, after: { plan: "free" } }]);
  });

  it("Enterprise renewal sets seats to the member count and bills 2 TB of storage overage", async () => {
    const org = await orgAccount(db, "enterprise", 2, 4);
    await addCard(db, processor, { accountId: org.accountId, card: card("4242424242424242") });
    const sub = await db.subscription.findFirstOrThrow({ where: { accountId: org.accountId } });
    // 3.2 TB at its peak, 2 TB included for 2 seats: 1.2 TB over -> 2 whole TB.
    const firstDay = new Date(sub.currentPeriodStart.toISOString().slice(0, 10));
    const secondDay = new Date(firstDay.getTime() + 86_400_000);
    await db.storageUsage.createMany({
      data: [
        { accountId: org.accountId, day: firstDay, bytes: 2n * BYTES_PER_TB },
        { accountId: org.accountId, day: secondDay, bytes: (32n * BYTES_PER_TB) / 10n },
      ],
    });
    const [result] = (await renewSubscriptions(db, processor, { now: sub.currentPeriodEnd })).filter(
      (r) => r.subscriptionId === sub.id,
    );
    expect(result).toMatchObject({ outcome: "renewed", seats: 4, storageOverageTb: 2n });
    const invoice = await db.invoice.findUniqueOrThrow({
      where: { id: result!.invoiceId },
      include: { lines: { orderBy: { position: "asc" } } },
    });
    expect(invoice.lines.map((l) => [l.kind, l.quantity, l.amountCents])).toEqual([
      ["seats", 4n, 20_000],
      ["storage", 2n, 5_000],
    ]);
    expect(invoice).toMatchObject({ amountDueCents: 25_000, status: "paid" });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: org.accountId } })).toMatchObject({
      seats: 4,
    });
    const seatChanges = () =>
      db.auditLog.findMany({
        where: { accountId: org.accountId, action: "billing.seats.update" },
        select: { actorUserId: true, target: true, before: true, after: true },
      });
    expect(await seatChanges()).toEqual([
      { actorUserId: null, target: sub.id, before: { seats: 2 }, after: { seats: 4 } },
    ]);
    // Renewing again before the next period end does nothing.
    expect(
      (await renewSubscriptions(db, processor, { now: sub.currentPeriodEnd })).filter(
        (r) => r.subscriptionId === sub.id,
      ),
    ).toEqual([]);
    expect(await seatChanges()).toHaveLength(1);
  });
});

describe("the billing clock", () => {
  it("moves for tests and demos, and cannot be moved in production", async () => {
    const target = new Date("2026-12-01T00:00:05Z");
    await setBillingNow(db, target, { production: false });
    const now = await billingNow(db, { production: false });
    expect(Math.abs(now.getTime() - target.getTime())).toBeLessThan(5_000);
    expect(Math.abs((await billingNow(db, { production: true })).getTime() - Date.now())).toBeLessThan(1_000);
    await expect(setBillingNow(db, target, { production: true })).rejects.toMatchObject({
      status: 403,
      code: "clock_not_settable",
    });
    await setBillingNow(db, new Date(), { production: false });
  });
});
