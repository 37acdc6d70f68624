import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage } from "@/lib/testing/billing-fixtures";
import { admitPayer, payerQuery, type RequestTerms } from "@/lib/ledger/authorize";
import { setSpendingLimit } from "@/lib/org-controls/controls";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { settleUsage } from "@/lib/ledger/settle";
import { AppError } from "@/lib/kernel/errors";
import { admissionQueue } from "./admissions";
import { settlementQueue } from "./settlements";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const DOLLAR = 1_000_000_000n;

describe("the router's admission queue", () => {
  it("keeps the spending limit under 200 concurrent requests admitted in batches, billing each exactly once", async () => {
    // Team, 5 seats: $10 of credits; a $40 limit on pay-as-you-go leaves room for 50 requests of $1.
    const org = await orgAccount(db, "team", 5, 3);
    await setSpendingLimit(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      limitCents: 4_000,
    });
    const now = new Date();
    const book = await loadPriceBook(db, [{ providerId: "test-routed", modelId: "test/model" }]);
    const admissions = admissionQueue(db);
    const settlements = settlementQueue(db);

    // As the router does it: admitted in batches, then settled at $1, the cost of the hold.
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const userId = org.memberIds[i % 3]!;
        const terms: RequestTerms = {
          billTo: org.orgName,
          providerId: "test-routed",
          billingIntegrated: true,
          mode: "routed",
          requestId: randomUUID(),
          maxCostNano: DOLLAR,
          now,
        };
        try {
          const found = await admissions.admit(payerQuery(terms, { userId }));
          const { month } = await admitPayer(db, terms, found);
          const event = routedUsage(org.accountId, userId, now, 100, { id: terms.requestId });
          if (month) await settlements.submit({ item: { event, held: { holdNano: DOLLAR, month } }, book });
          else await settleUsage(db, [event], { book });
          return "settled";
        } catch (e) {
          if (e instanceof AppError) return e.code;
          throw e;
        }
      }),
    );

    expect(outcomes.filter((o) => o === "settled")).toHaveLength(50);
    expect(outcomes.filter((o) => o === "spending_limit_reached")).toHaveLength(150);
    expect(admissions.stats.batches).toBeLessThan(200);
    const month = await db.accountPeriod.findFirstOrThrow({ where: { accountId: org.accountId } });
    expect(month).toMatchObject({ creditsUsedNano: 10n * DOLLAR, paygNano: 40n * DOLLAR, reservedNano: 0n });
    const [events] = await db.$queryRaw<{ n: bigint; cost: bigint }[]>`
      SELECT count(*) AS n, sum(credits_nano + payg_nano)::bigint AS cost FROM usage_events WHERE account_id = ${org.accountId}::uuid`;
    expect(events).toEqual({ n: 50n, cost: 50n * DOLLAR });
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
  }, 60_000);
});
