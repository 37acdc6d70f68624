import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as subscription from "@/app/api/billing/subscription/route";
import * as cards from "@/app/api/billing/payment-methods/route";
import * as pay from "@/app/api/billing/invoices/[number]/pay/route";
import { createApiToken } from "@/lib/auth/tokens";
import { databaseBooks } from "@/lib/payments/local-books";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard, setDefaultCard } from "@/lib/ledger/payment-methods";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { setBillingNow } from "@/lib/kernel/clock";
import { closeMonth } from "./close-month";
import { collectThresholdCharges } from "./collect-threshold-charges";
import { checkConservation } from "./conservation";
import { recordUsage } from "./record-usage";
import { renewSubscriptions } from "./subscriptions";

// Two tabs, a retried request, a double click, two job runners: many parallel identical and
// near-identical calls of every path that charges or holds money on a card, each with exactly
// one effect, and the processor's own books agreeing with ours to the cent after each test.
// Months of 2029, which no other test file bills.
const db = testDb();
const processor = createLocalProcessor(databaseBooks(db)); // the books the app's processor keeps
const NOW = new Date("2029-03-10T12:00:00Z");
const PARALLEL = 20;
const accounts: string[] = [];
beforeAll(async () => {
  await ensureTestCatalog(db);
  await setBillingNow(db, NOW, { production: false });
}, 60_000);
afterEach(async () => {
  expect(await checkConservation(db, { accountIds: accounts.splice(0) })).toMatchObject({
    ok: true,
    problems: [],
  });
});
afterAll(async () => {
  await setBillingNow(db, new Date(), { production: false });
  await db.$disconnect();
});

const card = (number: string) => ({
  kind: "number" as const,
  number,
  expMonth: 12,
  expYear: 2099,
  cvc: "123",
});
const tokenFor = async (userId: string) => (await createApiToken(db, { userId, name: "test" })).token;
const succeededCharges = (accountId: string) =>
  db.payment.findMany({ where: { accountId, kind: "invoice_charge", status: "succeeded" } });
const parallel = <T>(call: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: PARALLEL }, (_, i) => call(i)));
const checked = <T extends { accountId: string }>(a: T) => (accounts.push(a.accountId), a);
const user = async (plan: "free" | "pro") => {
  const a = checked(await userAccount(db, plan));
  return { ...a, token: await tokenFor(a.userId) };
};
const SUBSCRIPTION_URL = "http://localhost/api/billing/subscription";

describe("subscribing to PRO", () => {
  it(`${PARALLEL} parallel subscribes make one subscription, one invoice and one charge`, async () => {
    const { accountId, token } = await user("free");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const answers = await parallel(() =>
      callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL }),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(
      statuses.every((s) => s === 200 || s === 409),
      JSON.stringify(statuses),
    ).toBe(true);
    for (const a of answers.filter((a) => a.status === 409))
      expect(["already_subscribed", "payment_in_progress"]).toContain(a.json.error?.code);

    expect(await db.subscription.count({ where: { accountId } })).toBe(1);
    expect(await db.invoice.count({ where: { accountId, kind: "subscription" } })).toBe(1);
    expect(await succeededCharges(accountId)).toMatchObject([{ amountCents: 900 }]);
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "pro",
    });
  });

  it("a refused subscribe without a card writes nothing, however often it is tried", async () => {
    const { accountId, token } = await user("free");
    for (let i = 0; i < 3; i++) {
      const res = await callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL });
      expect(res).toMatchObject({ status: 402, json: { error: { code: "no_payment_method" } } });
    }
    expect(await db.payment.count({ where: { accountId } })).toBe(0);
    expect(await db.invoice.count({ where: { accountId } })).toBe(0);
    expect(await db.subscription.count({ where: { accountId } })).toBe(0);
  });

  it("a declined first month leaves Free; subscribing again with a good card pays that same invoice", async () => {
    const { accountId, token } = await user("free");
    await addCard(db, processor, { accountId, card: card("4000000000000341") }); // saves, charges decline
    const declined = await callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL });
    expect(declined).toMatchObject({ status: 402, json: { error: { code: "card_declined" } } });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "free",
    });
    expect(await db.invoice.findMany({ where: { accountId } })).toMatchObject([{ status: "void" }]);

    const good = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    await setDefaultCard(db, { accountId, paymentMethodId: good.id });
    const paid = await parallel(() =>
      callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL }),
    );
    expect(paid.filter((a) => a.status === 200)).toHaveLength(1);
    expect(await db.invoice.findMany({ where: { accountId, kind: "subscription" } })).toMatchObject([
      { status: "paid", amountDueCents: 900 },
    ]);
    expect(await succeededCharges(accountId)).toHaveLength(1);
    expect(await db.subscription.findMany({ where: { accountId } })).toMatchObject([{ status: "active" }]);
  });

  it(`${PARALLEL} parallel cancels cancel once; ${PARALLEL} parallel undos resume once; each audited once`, async () => {
    const { accountId, token } = await user("free");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    expect(
      (await callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL })).status,
    ).toBe(200);

    const cancels = await parallel(() =>
      callRoute(subscription.DELETE, { method: "DELETE", token, url: SUBSCRIPTION_URL }),
    );
    expect(cancels.every((a) => a.status === 200 && a.json.subscription)).toBe(true);
    const undos = await parallel(() =>
      callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL }),
    );
    expect(undos.filter((a) => a.status === 200)).toHaveLength(1);
    expect(undos.filter((a) => a.status === 409 && a.json.error?.code === "already_subscribed")).toHaveLength(
      PARALLEL - 1,
    );

    const actions = await db.auditLog.findMany({ where: { accountId }, select: { action: true } });
    expect(actions.filter((a) => a.action === "billing.subscription.cancel")).toHaveLength(1);
    expect(actions.filter((a) => a.action === "billing.subscription.subscribe")).toHaveLength(2); // subscribe, undo
    expect(await db.subscription.findMany({ where: { accountId } })).toMatchObject([
      { status: "active", cancelAtPeriodEnd: false },
    ]);
    expect(await succeededCharges(accountId)).toHaveLength(1);
  });
});

describe("adding a card", () => {
  it(`${PARALLEL} parallel adds of one card, however it is typed, save it once with one $10 check`, async () => {
    const { accountId, token } = await user("free");
    const typed = ["4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242"];
    const answers = await parallel((i) =>
      callRoute(cards.POST, {
        method: "POST",
        token,
        url: "http://localhost/api/billing/payment-methods",
        body: { number: typed[i % typed.length], expMonth: 12, expYear: 2099, cvc: "123" },
      }),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 201))
      expect(a).toMatchObject({
        status: 409,
        json: { error: { code: "card_already_saved", last4: "4242" } },
      });
    expect(await db.paymentMethod.count({ where: { accountId } })).toBe(1);
    const customerRef = (await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } }))
      .processorCustomerRef!;
    const books = await db.localProcessorEntry.findMany({ where: { customerRef }, orderBy: { kind: "asc" } });
    expect(books.map((e) => [e.kind, e.amountCents])).toEqual([
      ["hold", 1_000],
      ["release", 1_000],
    ]);
    expect(await db.auditLog.count({ where: { accountId, action: "billing.card.add" } })).toBe(1);
  });
});

describe("paying an invoice online", () => {
  async function failedInvoice() {
    const { accountId, userId, token } = await user("pro");
    await addCard(db, processor, { accountId, card: card("4000000000000341") });
    await recordUsage(db, routedUsage(accountId, userId, new Date("2029-01-15T12:00:00Z"), 1_300));
    await closeMonth(db, processor, {
      period: new Date("2029-01-01T00:00:00Z"),
      now: new Date("2029-02-01T00:10:00Z"),
    });
    const invoice = await db.invoice.findFirstOrThrow({ where: { accountId, kind: "usage" } });
    expect(invoice).toMatchObject({ status: "failed", amountDueCents: 1_100 });
    const good = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const payWith = (body: unknown) =>
      callRoute(pay.POST, {
        method: "POST",
        token,
        url: `http://localhost/api/billing/invoices/${invoice.number}/pay`,
        params: { number: invoice.number },
        body,
      });
    return { accountId, invoice, good, payWith };
  }
  const expectOneCharge = async (
    answers: Awaited<ReturnType<typeof callRoute>>[],
    accountId: string,
    invoiceId: string,
  ) => {
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 200)) {
      expect(a.status, JSON.stringify(a.json)).toBe(409);
      expect(["payment_in_progress", "invoice_paid"]).toContain(a.json.error?.code);
    }
    expect(await succeededCharges(accountId)).toMatchObject([{ amountCents: 1_100, invoiceId }]);
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({
      status: "paid",
    });
  };

  it(`${PARALLEL} parallel attempts, each with its own attempt id, charge once`, async () => {
    const { accountId, invoice, good, payWith } = await failedInvoice();
    const answers = await parallel(() => payWith({ attemptId: randomUUID(), paymentMethodId: good.id }));
    await expectOneCharge(answers, accountId, invoice.id);
  });

  it("parallel attempts with a card on file and with new cards charge once", async () => {
    const { accountId, invoice, good, payWith } = await failedInvoice();
    const answers = await parallel((i) =>
      payWith(
        i % 2
          ? { paymentMethodId: good.id }
          : { card: { number: "5555555555554444", expMonth: 12, expYear: 2099, cvc: "123" } },
      ),
    );
    // A new card already saved by a parallel attempt is refused as such; the rest as above.
    const saved = answers.filter((a) => a.json.error?.code === "card_already_saved");
    await expectOneCharge(
      answers.filter((a) => !saved.includes(a)),
      accountId,
      invoice.id,
    );
  });
});

describe("the billing jobs, run by several workers at once", () => {
  it(`${PARALLEL} parallel threshold collectors charge each threshold charge once`, async () => {
    const { accountId, userId } = await user("pro");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    await db.billingAccount.update({ where: { id: accountId }, data: { thresholdCents: 100 } });
    await recordUsage(db, routedUsage(accountId, userId, new Date("2029-03-02T00:00:00Z"), 200)); // the credits
    for (let i = 0; i < 3; i++)
      await recordUsage(db, routedUsage(accountId, userId, new Date("2029-03-03T00:00:00Z"), 100));
    await parallel(() => collectThresholdCharges(db, processor, accountId));
    expect(
      await db.payment.findMany({ where: { accountId, kind: "threshold_charge" }, select: { status: true } }),
    ).toEqual([{ status: "succeeded" }, { status: "succeeded" }, { status: "succeeded" }]);
    expect((await db.thresholdCharge.findMany({ where: { accountId } })).every((t) => t.paymentId)).toBe(
      true,
    );
  });

  it(`${PARALLEL} parallel month closes make one invoice per account and charge each once`, async () => {
    const users = await Promise.all([user("pro"), user("pro"), user("pro")]);
    for (const [i, u] of users.entries()) {
      await addCard(db, processor, { accountId: u.accountId, card: card("4242424242424242") });
      await recordUsage(db, routedUsage(u.accountId, u.userId, new Date("2029-02-10T00:00:00Z"), 300 + i));
    }
    const period = new Date("2029-02-01T00:00:00Z");
    const results = await parallel(() =>
      closeMonth(db, processor, { period, now: NOW }).catch((e: Error) => e),
    );
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    for (const [i, u] of users.entries()) {
      expect(await db.invoice.findMany({ where: { accountId: u.accountId, kind: "usage" } })).toMatchObject([
        { status: "paid", amountDueCents: 100 + i },
      ]);
      expect(await succeededCharges(u.accountId)).toMatchObject([{ amountCents: 100 + i }]);
    }
  });

  it(`${PARALLEL} parallel renewals bill a period once; an org's renewal sets its seats once`, async () => {
    const org = await orgAccount(db, "team", 2, 3);
    checked(org);
    await addCard(db, processor, { accountId: org.accountId, card: card("4242424242424242") });
    const sub = await db.subscription.findFirstOrThrow({ where: { accountId: org.accountId } });
    const results = await parallel(() =>
      renewSubscriptions(db, processor, { now: sub.currentPeriodEnd }).catch((e: Error) => e),
    );
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    expect(
      await db.invoice.findMany({ where: { accountId: org.accountId, kind: "subscription" } }),
    ).toMatchObject([{ status: "paid", amountDueCents: 6_000 }]); // 3 members at $20 a seat
    expect(await succeededCharges(org.accountId)).toHaveLength(1);
    expect(
      await db.auditLog.count({ where: { accountId: org.accountId, action: "billing.seats.update" } }),
    ).toBe(1);
  });

  it(`${PARALLEL} parallel renewals end a cancelled PRO once`, async () => {
    const { accountId, token } = await user("free");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    await callRoute(subscription.POST, { method: "POST", token, url: SUBSCRIPTION_URL });
    await callRoute(subscription.DELETE, { method: "DELETE", token, url: SUBSCRIPTION_URL });
    const sub = await db.subscription.findFirstOrThrow({ where: { accountId } });
    const results = (
      await parallel(() => renewSubscriptions(db, processor, { now: sub.currentPeriodEnd }))
    ).flatMap((r) => r.filter((x) => x.subscriptionId === sub.id));
    expect(results.filter((r) => r.outcome === "ended")).toHaveLength(1);
    expect(await db.auditLog.count({ where: { accountId, action: "billing.plan.update" } })).toBe(1);
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "free",
    });
  });
});

describe("the conservation check", () => {
  it("finds a capture that billing has no payment for, and a payment the processor never captured", async () => {
    const { accountId } = await user("pro");
    const saved = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const customerRef = (await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } }))
      .processorCustomerRef!;
    const method = await db.paymentMethod.findUniqueOrThrow({ where: { id: saved.id } });
    await processor.charge({
      customerRef,
      cardRef: method.processorRef,
      amountCents: 700,
      idempotencyKey: `stray:${accountId}`,
      description: "a charge made behind billing's back",
    });
    await db.payment.create({
      data: {
        accountId,
        paymentMethodId: saved.id,
        kind: "threshold_charge",
        status: "succeeded",
        amountCents: 300,
        idempotencyKey: `phantom:${accountId}`,
      },
    });
    const report = await checkConservation(db, { accountIds: accounts.splice(0) });
    expect(report).toMatchObject({ ok: false, capturedCents: 700, chargedCents: 300 });
    expect(report.problems.join("\n")).toMatch(/capture stray:.* has no succeeded payment/);
    expect(report.problems.join("\n")).toMatch(/payment phantom:.* succeeded without a capture/);
    expect(report.problems.join("\n")).toMatch(/phantom:.* succeeded without its threshold charge/);
  });
});
