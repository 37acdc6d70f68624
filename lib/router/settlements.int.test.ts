import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, proAccountPastCredits, routedUsage } from "@/lib/testing/billing-fixtures";
import { authorizeRequest } from "@/lib/ledger/authorize";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { settlementQueue } from "./settlements";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const now = new Date();
const DOLLAR = 1_000_000_000n;

/** A $1 request (100 test-routed tokens of $0.01) held at $2, as the router holds it. */
async function heldRequest(a: { accountId: string; userId: string }) {
  const event = routedUsage(a.accountId, a.userId, now, 100, { id: `q-${randomUUID()}` });
  const { month } = await authorizeRequest(db, {
    userId: a.userId,
    billTo: null,
    providerId: "test-routed",
    billingIntegrated: true,
    mode: "routed",
    requestId: event.id,
    maxCostNano: 2n * DOLLAR,
    now,
    commit: "async",
  });
  return { event, held: { holdNano: 2n * DOLLAR, month: month! } };
}

describe("the router's settlement queue", () => {
  it("writes concurrent settlements of several accounts together, each billed exactly once", async () => {
    const accounts = await Promise.all([
      proAccountPastCredits(db, now),
      proAccountPastCredits(db, now),
      proAccountPastCredits(db, now),
    ]);
    const items = await Promise.all(
      Array.from({ length: 30 }, (_, i) => heldRequest(accounts[i % accounts.length]!)),
    );
    const book = await loadPriceBook(db, [{ providerId: "test-routed", modelId: "test/model" }]);
    const queue = settlementQueue(db);
    const results = await Promise.all(items.map((item) => queue.submit({ item, book })));

    expect(results.map((r) => r.status)).toEqual(Array(30).fill("recorded"));
    expect(results.map((r) => r.id)).toEqual(items.map((i) => i.event.id)); // each its own answer
    expect(queue.stats.items).toBe(30);
    expect(queue.stats.batches).toBeLessThan(30);
    for (const { accountId } of accounts) {
      const month = await db.accountPeriod.findFirstOrThrow({ where: { accountId } });
      expect(month).toMatchObject({
        paygNano: 10n * DOLLAR,
        thresholdChargedNano: 10n * DOLLAR,
        reservedNano: 0n,
      });
      const charges = await db.thresholdCharge.findMany({ where: { accountId }, orderBy: { seq: "asc" } });
      expect(charges.map((c) => c.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(await db.usageEvent.count({ where: { accountId } })).toBe(11); // and the one that used the credits
      expect(await db.reservation.count({ where: { accountId } })).toBe(0);
    }
  });

  it("fails only the request that cannot be settled; the others in its batch are billed", async () => {
    const a = await proAccountPastCredits(db, now);
    const items = await Promise.all(Array.from({ length: 6 }, () => heldRequest(a)));
    items[3]!.event.providerId = "no-such-provider"; // no price: cannot be rated
    const book = await loadPriceBook(db, [{ providerId: "test-routed", modelId: "test/model" }]);
    const queue = settlementQueue(db);
    const outcomes = await Promise.allSettled(items.map((item) => queue.submit({ item, book })));

    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: "price_not_found" });
    const month = await db.accountPeriod.findFirstOrThrow({ where: { accountId: a.accountId } });
    expect(month.paygNano).toBe(5n * DOLLAR);
    expect(month.reservedNano).toBe(2n * DOLLAR); // the failed request's hold, left for the sweep
  });
});
