import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as subscription from "@/app/api/billing/subscription/route";
import * as pay from "@/app/api/billing/invoices/[number]/pay/route";
import { createApiToken } from "@/lib/auth/tokens";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard, setDefaultCard } from "@/lib/payments/payment-methods";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { setBillingNow } from "./clock";
import { closeMonth } from "./close-month";
import { recordUsage } from "./record-usage";

// Two tabs, a retried request, a double click: many parallel calls of every route that charges
// a card, each making exactly one charge. Months of 2029, which no other test file bills.
const db = testDb();
const processor = createLocalProcessor();
const NOW = new Date("2029-03-10T12:00:00Z");
const PARALLEL = 20;
beforeAll(async () => {
  await ensureTestCatalog(db);
  await setBillingNow(db, NOW, { production: false });
}, 60_000);
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

describe("subscribing to PRO", () => {
  it(`${PARALLEL} parallel subscribes make one subscription, one invoice and one charge`, async () => {
    const { accountId, userId } = await userAccount(db, "free");
    await addCard(db, processor, { accountId, card: card("4242424242424242") });
    const token = await tokenFor(userId);
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        callRoute(subscription.POST, {
          method: "POST",
          token,
          url: "http://localhost/api/billing/subscription",
        }),
      ),
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
    const { accountId, userId } = await userAccount(db, "free");
    const token = await tokenFor(userId);
    for (let i = 0; i < 3; i++) {
      const res = await callRoute(subscription.POST, {
        method: "POST",
        token,
        url: "http://localhost/api/billing/subscription",
      });
      expect(res).toMatchObject({ status: 402, json: { error: { code: "no_payment_method" } } });
    }
    expect(await db.payment.count({ where: { accountId } })).toBe(0);
    expect(await db.invoice.count({ where: { accountId } })).toBe(0);
    expect(await db.subscription.count({ where: { accountId } })).toBe(0);
  });

  it("a declined first month leaves Free; subscribing again with a good card pays that same invoice", async () => {
    const { accountId, userId } = await userAccount(db, "free");
    await addCard(db, processor, { accountId, card: card("4000000000000341") }); // saves, charges decline
    const token = await tokenFor(userId);
    const url = "http://localhost/api/billing/subscription";
    const declined = await callRoute(subscription.POST, { method: "POST", token, url });
    expect(declined).toMatchObject({ status: 402, json: { error: { code: "card_declined" } } });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "free",
    });

    const good = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    await setDefaultCard(db, { accountId, paymentMethodId: good.id });
    const paid = await Promise.all(
      Array.from({ length: PARALLEL }, () => callRoute(subscription.POST, { method: "POST", token, url })),
    );
    expect(paid.filter((a) => a.status === 200)).toHaveLength(1);
    expect(await db.invoice.findMany({ where: { accountId, kind: "subscription" } })).toMatchObject([
      { status: "paid", amountDueCents: 900 },
    ]);
    expect(await succeededCharges(accountId)).toHaveLength(1);
    expect(await db.subscription.findMany({ where: { accountId } })).toMatchObject([{ status: "active" }]);
  });
});

describe("paying an invoice online", () => {
  async function failedInvoice() {
    const { accountId, userId } = await userAccount(db, "pro");
    await addCard(db, processor, { accountId, card: card("4000000000000341") });
    await recordUsage(db, routedUsage(accountId, userId, new Date("2029-01-15T12:00:00Z"), 1_300));
    await closeMonth(db, processor, {
      period: new Date("2029-01-01T00:00:00Z"),
      now: new Date("2029-02-01T00:10:00Z"),
    });
    const invoice = await db.invoice.findFirstOrThrow({ where: { accountId, kind: "usage" } });
    expect(invoice).toMatchObject({ status: "failed", amountDueCents: 1_100 });
    const good = await addCard(db, processor, { accountId, card: card("4242424242424242") });
    return { accountId, invoice, good, token: await tokenFor(userId) };
  }

  it(`${PARALLEL} parallel attempts, each with its own attempt id, charge once`, async () => {
    const { accountId, invoice, good, token } = await failedInvoice();
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        callRoute(pay.POST, {
          method: "POST",
          token,
          url: `http://localhost/api/billing/invoices/${invoice.number}/pay`,
          params: { number: invoice.number },
          body: { attemptId: randomUUID(), paymentMethodId: good.id },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 200)) {
      expect(a.status).toBe(409);
      expect(["payment_in_progress", "invoice_paid"]).toContain(a.json.error?.code);
    }
    expect(await succeededCharges(accountId)).toMatchObject([{ amountCents: 1_100, invoiceId: invoice.id }]);
    expect(await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
    });
  });
});
