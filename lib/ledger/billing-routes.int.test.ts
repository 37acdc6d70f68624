import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as overview from "@/app/api/billing/overview/route";
import * as cards from "@/app/api/billing/payment-methods/route";
import * as cardById from "@/app/api/billing/payment-methods/[id]/route";
import * as cardDefault from "@/app/api/billing/payment-methods/[id]/default/route";
import * as subscription from "@/app/api/billing/subscription/route";
import * as invoices from "@/app/api/billing/invoices/route";
import * as invoice from "@/app/api/billing/invoices/[number]/route";
import * as invoicePdf from "@/app/api/billing/invoices/[number]/pdf/route";
import * as receiptPdf from "@/app/api/billing/invoices/[number]/receipt/route";
import * as pay from "@/app/api/billing/invoices/[number]/pay/route";
import { addMember } from "@/lib/accounts/orgs";
import { ORG_ROLES } from "@/lib/accounts/roles";
import { createUser } from "@/lib/accounts/users";
import { createApiToken } from "@/lib/auth/tokens";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard } from "@/lib/ledger/payment-methods";
import { callRoute } from "@/lib/testing/call-route";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { setBillingNow } from "@/lib/kernel/clock";
import { closeMonth } from "./close-month";
import { recordUsage } from "./record-usage";
import { collectThresholdCharges } from "./collect-threshold-charges";
import { BYTES_PER_TB } from "@/lib/pricing/storage";

// These tests bill months of 2028, which no other test file uses, with the billing clock in May 2028.
const db = testDb();
const processor = createLocalProcessor();
const NOW = new Date("2028-05-20T12:00:00Z");
beforeAll(async () => {
  await ensureTestCatalog(db);
  await setBillingNow(db, NOW, { production: false });
}, 60_000);
afterAll(async () => {
  await setBillingNow(db, new Date(), { production: false });
  await db.$disconnect();
});

const tokenFor = async (userId: string) => (await createApiToken(db, { userId, name: "test" })).token;
const card = (number: string) => ({ number, expMonth: 12, expYear: 2099, cvc: "123" });
const local = (number: string) => ({ kind: "number" as const, ...card(number) });

async function usageInvoice(accountId: string, userId: string, month: string, cents: number) {
  await recordUsage(db, routedUsage(accountId, userId, new Date(`${month}-10T12:00:00Z`), cents));
  const period = new Date(`${month}-01T00:00:00Z`);
  await closeMonth(db, processor, { period, now: new Date(period.getTime() + 40 * 86_400_000) });
  return db.invoice.findFirstOrThrow({ where: { accountId, kind: "usage", periodStart: period } });
}

describe("billing routes: whose account", () => {
  it("an org's billing is for its admins only; a number of another account's invoice is not found", async () => {
    const org = await orgAccount(db, "team", 3, 1);
    const tokens: Record<string, string> = { admin: await tokenFor(org.memberIds[0]!) };
    for (const role of ORG_ROLES.filter((r) => r !== "admin")) {
      const user = await createUser(db, {
        email: uniqueEmail(role),
        password: "correct horse battery",
        plan: "free",
      });
      await addMember(db, { orgName: org.orgName, email: user.email, role });
      tokens[role] = await tokenFor(user.id);
    }
    tokens.outsider = await tokenFor((await userAccount(db, "pro")).userId);
    const url = (path: string) => `http://localhost${path}?org=${org.orgName}`;
    for (const [who, token] of Object.entries(tokens)) {
      for (const [name, handler, method, body] of [
        ["overview", overview.GET, "GET", undefined],
        ["cards", cards.GET, "GET", undefined],
        ["add card", cards.POST, "POST", card("4242424242424242")],
        ["invoices", invoices.GET, "GET", undefined],
      ] as const) {
        const res = await callRoute(handler, { method, token, url: url(`/api/billing/${name}`), body });
        expect(res.status, `${name} as ${who}`).toBe(who === "admin" ? (method === "POST" ? 201 : 200) : 403);
      }
    }
    // Exactly the admin's card was added.
    expect(await db.paymentMethod.count({ where: { accountId: org.accountId } })).toBe(1);

    // Alice's invoice is invisible to Bob, whatever route he tries.
    const alice = await userAccount(db, "pro");
    const bob = await userAccount(db, "pro");
    await addCard(db, processor, { accountId: alice.accountId, card: local("4242424242424242") });
    const inv = await usageInvoice(alice.accountId, alice.userId, "2028-01", 500);
    const bobToken = await tokenFor(bob.userId);
    for (const handler of [invoice.GET, invoicePdf.GET, receiptPdf.GET]) {
      const res = await callRoute(handler, { token: bobToken, params: { number: inv.number } });
      expect(res.status).toBe(404);
    }
    const paid = await callRoute(pay.POST, {
      method: "POST",
      token: bobToken,
      params: { number: inv.number },
      body: { attemptId: crypto.randomUUID(), card: card("4242424242424242") },
    });
    expect(paid.status).toBe(404);
    expect(await db.paymentMethod.count({ where: { accountId: bob.accountId } })).toBe(0);
  });
});

describe("payment methods", () => {
  it("adds a card with a released $10 hold, refuses declined cards in words, sets the default, removes", async () => {
    const { userId, accountId } = await userAccount(db, "free");
    const token = await tokenFor(userId);
    const add = (number: string) => callRoute(cards.POST, { method: "POST", token, body: card(number) });

    const first = await add("4242424242424242");
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ card: { brand: "visa", last4: "4242", isDefault: true } });
    expect(JSON.stringify(first.json)).not.toContain("local_card");
    const holds = await db.payment.findMany({ where: { accountId }, orderBy: { kind: "asc" } });
    expect(holds.map((p) => [p.kind, p.status, p.amountCents])).toEqual([
      ["authorization_hold", "succeeded", 1_000],
      ["hold_release", "succeeded", 1_000],
    ]);

    const declined = await add("4000000000000002");
    expect(declined.status).toBe(402);
    expect(declined.json.error).toMatchObject({ code: "card_declined" });
    expect(declined.json.error!.message).toContain("3-D Secure");
    const sca = await add("4000000000003220");
    expect(sca.json.error).toMatchObject({ code: "authentication_required" });
    expect(sca.json.error!.message).toContain("recurring");
    // A card issued in India: refused before any hold, in words that say why and what to do, and not saved.
    const cardsBefore = await db.paymentMethod.count({ where: { accountId } });
    const paymentsBefore = await db.payment.count({ where: { accountId } });
    const india = await add("4000003560000008");
    expect(india.status).toBe(402);
    expect(india.json.error).toMatchObject({ code: "card_country_unsupported" });
    expect(india.json.error!.message).toContain("cards issued in India");
    expect(india.json.error!.message).toContain("another country");
    expect(await db.paymentMethod.count({ where: { accountId } })).toBe(cardsBefore);
    expect(await db.payment.count({ where: { accountId } })).toBe(paymentsBefore);
    for (const bad of [
      { ...card("4242"), cvc: "1" },
      { number: "4242424242424242" },
      { ...card("x"), extra: 1 },
    ]) {
      expect((await callRoute(cards.POST, { method: "POST", token, body: bad })).status).toBe(400);
    }

    const second = await add("5555555555554444");
    const secondId = (second.json.card as { id: string }).id;
    const firstId = (first.json.card as { id: string }).id;
    const made = await callRoute(cardDefault.PUT, { method: "PUT", token, params: { id: secondId } });
    expect(made.json.cards).toMatchObject([
      { last4: "4444", isDefault: true },
      { last4: "4242", isDefault: false },
    ]);

    expect(
      (await callRoute(cardById.DELETE, { method: "DELETE", token, params: { id: secondId } })).status,
    ).toBe(204);
    expect((await callRoute(cards.GET, { token })).json.cards).toMatchObject([
      { id: firstId, isDefault: true },
    ]);
    expect(
      (await callRoute(cardById.DELETE, { method: "DELETE", token, params: { id: secondId } })).status,
    ).toBe(404);

    const log = await db.auditLog.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });
    expect(log.map((l) => l.action)).toEqual([
      "billing.card.add",
      "billing.card.add",
      "billing.card.default",
      "billing.card.remove",
    ]);
  });
});

describe("PRO subscription", () => {
  it("needs a card, charges the first month, and cancels at the period's end", async () => {
    const { userId, accountId } = await userAccount(db, "free");
    const token = await tokenFor(userId);
    const noCard = await callRoute(subscription.POST, { method: "POST", token });
    expect(noCard.status).toBe(402);
    expect(noCard.json.error).toMatchObject({ code: "no_payment_method" });

    // A card that saves but whose charges are declined: refused in words, and the account stays Free.
    await callRoute(cards.POST, { method: "POST", token, body: card("4000000000000341") });
    const declined = await callRoute(subscription.POST, { method: "POST", token });
    expect(declined.status).toBe(402);
    expect(declined.json.error).toMatchObject({ code: "card_declined" });
    expect(declined.json.error!.message).toContain("recurring");
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "free",
    });

    const good = await callRoute(cards.POST, { method: "POST", token, body: card("4242424242424242") });
    await callRoute(cardDefault.PUT, {
      method: "PUT",
      token,
      params: { id: (good.json.card as { id: string }).id },
    });
    const sub = await callRoute(subscription.POST, { method: "POST", token });
    expect(sub.status).toBe(200);
    expect(sub.json.subscription).toMatchObject({
      plan: "pro",
      cancelAtPeriodEnd: false,
      currentPeriodEnd: expect.stringMatching(/^2028-06-20T12:00/),
    });
    expect((await callRoute(subscription.POST, { method: "POST", token })).status).toBe(409);

    const listed = await callRoute(invoices.GET, { token });
    expect(listed.json.invoices).toMatchObject([
      { kind: "subscription", status: "paid", amountDueCents: 900, periodStart: "2028-05-20" },
    ]);

    const cancel = await callRoute(subscription.DELETE, { method: "DELETE", token });
    expect(cancel.json.subscription).toMatchObject({ cancelAtPeriodEnd: true });
    const view = await callRoute(overview.GET, { token });
    expect(view.json).toMatchObject({
      plan: { id: "pro" },
      subscription: { cancelAtPeriodEnd: true, currentPeriodEnd: expect.stringMatching(/^2028-06-20T12:00/) },
    });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      plan: "pro",
    });
  });
});

describe("overview", () => {
  it("shows the threshold, what accrued toward it and this month's threshold charges", async () => {
    const { userId, accountId } = await userAccount(db, "pro");
    const token = await tokenFor(userId);
    await addCard(db, processor, { accountId, card: local("4242424242424242") });
    await db.billingAccount.update({ where: { id: accountId }, data: { thresholdCents: 500 } });
    // $2.00 of credits, then $12.34 of pay-as-you-go: two $5 charges, $2.34 accrued toward the next.
    await recordUsage(db, routedUsage(accountId, userId, new Date("2028-05-02T00:00:00Z"), 1_434));
    await collectThresholdCharges(db, processor, accountId);
    const res = await callRoute(overview.GET, { token });
    expect(res.json).toMatchObject({
      credits: { includedNano: "2000000000", usedNano: "2000000000" },
      threshold: {
        thresholdCents: 500,
        accruedNano: "2340000000",
        charges: [
          { seq: 1, amountCents: 500, status: "succeeded" },
          { seq: 2, amountCents: 500, status: "succeeded" },
        ],
      },
      period: { start: "2028-05-01", end: "2028-06-01" },
    });
  });

  it("for an org: seats, members, what renewal does, included and current storage with its overage", async () => {
    const org = await orgAccount(db, "enterprise", 5, 2);
    const token = await tokenFor(org.memberIds[0]!);
    await db.subscription.updateMany({
      where: { accountId: org.accountId },
      data: {
        currentPeriodStart: new Date("2028-05-01T00:00:00Z"),
        currentPeriodEnd: new Date("2028-06-01T00:00:00Z"),
      },
    });
    await db.storageUsage.createMany({
      data: [
        { accountId: org.accountId, day: new Date("2028-05-03"), bytes: 6_200_000_000_000n },
        { accountId: org.accountId, day: new Date("2028-05-19"), bytes: 4n * BYTES_PER_TB },
      ],
    });
    const res = await callRoute(overview.GET, {
      token,
      url: `http://localhost/api/billing/overview?org=${org.orgName}`,
    });
    expect(res.json).toMatchObject({
      kind: "org",
      plan: { id: "enterprise", perSeat: true },
      seats: { current: 5, members: 2, atRenewal: 2 },
      // 5 seats include 5 TB; the period's peak was 6.2 TB: 2 started TB over, at $25 each.
      storage: {
        includedTb: 5,
        currentBytes: "4000000000000",
        peakBytes: "6200000000000",
        overageTb: 2,
        overageCents: 5_000,
      },
    });
  });
});

describe("invoices", () => {
  it("lists the last 3 months only, with details, PDFs, and a receipt once paid", async () => {
    const { userId, accountId } = await userAccount(db, "pro");
    const token = await tokenFor(userId);
    await addCard(db, processor, { accountId, card: local("4242424242424242") });
    const old = await usageInvoice(accountId, userId, "2027-12", 700);
    const recent = await usageInvoice(accountId, userId, "2028-03", 1_234);
    const numbers = ((await callRoute(invoices.GET, { token })).json.invoices as { number: string }[]).map(
      (i) => i.number,
    );
    expect(numbers).toContain(recent.number);
    expect(numbers).not.toContain(old.number);

    const detail = await callRoute(invoice.GET, { token, params: { number: recent.number } });
    expect(detail.json.invoice).toMatchObject({
      status: "paid",
      periodStart: "2028-03-01",
      periodLast: "2028-03-31",
      subtotalCents: 1_234,
      creditsCents: 200,
      amountDueCents: 1_034,
      lines: [
        {
          kind: "usage",
          amountCents: 1_234,
          usageHref: "/settings/inference-providers?from=2028-03-01&to=2028-04-01",
        },
        { kind: "credits", amountCents: -200, usageHref: null },
      ],
      payments: [
        { kind: "invoice_charge", status: "succeeded", amountCents: 1_034, card: { last4: "4242" } },
      ],
    });

    const pdf = await invoicePdf.GET(
      new Request("http://localhost", { headers: { authorization: `Bearer ${token}` } }),
      {
        params: Promise.resolve({ number: recent.number }),
      },
    );
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toContain(`${recent.number}.pdf`);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("a failed charge leaves the invoice payable online: a declined card is refused, another card pays it once", async () => {
    const { userId, accountId } = await userAccount(db, "pro");
    const token = await tokenFor(userId);
    await addCard(db, processor, { accountId, card: local("4000000000000341") });
    const inv = await usageInvoice(accountId, userId, "2028-04", 1_999);
    expect(inv.status).toBe("failed");
    expect((await callRoute(receiptPdf.GET, { token, params: { number: inv.number } })).status).toBe(409);

    const payWith = (body: unknown) =>
      callRoute(pay.POST, { method: "POST", token, params: { number: inv.number }, body });
    const declined = await payWith({ attemptId: crypto.randomUUID(), card: card("4000000000000002") });
    expect(declined.status).toBe(402);
    expect(declined.json.error!.message).toContain("declined");
    expect((await payWith({ attemptId: "not-a-uuid", card: card("4242424242424242") })).status).toBe(400);
    expect((await payWith({ attemptId: crypto.randomUUID() })).status).toBe(400);

    const attemptId = crypto.randomUUID();
    const paid = await payWith({ attemptId, card: card("5555555555554444") });
    expect(paid.status).toBe(200);
    expect(paid.json.invoice).toMatchObject({ status: "paid", amountDueCents: 1_799 });
    // A resubmitted form is told the invoice is paid, and nothing is charged again.
    expect((await payWith({ attemptId, card: card("5555555555554444") })).status).toBe(409);
    const charges = await db.payment.findMany({
      where: { invoiceId: inv.id },
      orderBy: { createdAt: "asc" },
    });
    expect(charges.map((c) => c.status)).toEqual(["failed", "succeeded"]);

    const receipt = await receiptPdf.GET(
      new Request("http://localhost", { headers: { authorization: `Bearer ${token}` } }),
      {
        params: Promise.resolve({ number: inv.number }),
      },
    );
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("content-type")).toBe("application/pdf");
  });
});
