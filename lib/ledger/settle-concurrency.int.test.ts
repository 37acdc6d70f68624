import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolOf } from "@/lib/db/prisma";
import { testDb } from "@/lib/testing/db";
import {
  ensureTestCatalog,
  proAccountPastCredits,
  routedUsage,
  userAccount,
} from "@/lib/testing/billing-fixtures";
import { authorizeRequest } from "@/lib/ledger/authorize";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { settleHeld, settleUsage } from "./settle";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const now = new Date();
const DOLLAR = 1_000_000_000n;

/** The router's hold for a request of up to $2 billed to the caller, committed as the router does. */
const holdTwoDollars = (userId: string, requestId: string) =>
  authorizeRequest(db, {
    userId,
    billTo: null,
    providerId: "test-routed",
    billingIntegrated: true,
    mode: "routed",
    requestId,
    maxCostNano: 2n * DOLLAR,
    now,
    commit: "async",
  });

async function expectExact(accountId: string, requests: number) {
  const charges = await db.thresholdCharge.findMany({ where: { accountId }, orderBy: { seq: "asc" } });
  expect(charges.map((c) => c.seq)).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
  const [sums] = await db.$queryRaw<{ payg: bigint; n: bigint }[]>`
    SELECT coalesce(sum(payg_nano), 0)::bigint AS payg, count(*) AS n FROM usage_events WHERE account_id = ${accountId}::uuid`;
  const month = await db.accountPeriod.findFirstOrThrow({ where: { accountId } });
  expect(sums!.payg).toBe(BigInt(requests) * DOLLAR);
  expect(month).toMatchObject({
    paygNano: BigInt(requests) * DOLLAR,
    thresholdChargedNano: BigInt(requests) * DOLLAR,
    reservedNano: 0n,
  });
}

describe("settlements racing for one month", () => {
  it("number every threshold charge once when each of 25 concurrent batches crosses a threshold", async () => {
    const { accountId, userId } = await proAccountPastCredits(db, now);
    await Promise.all(
      Array.from({ length: 25 }, () => settleUsage(db, [routedUsage(accountId, userId, now, 100)])),
    );
    await expectExact(accountId, 25);
  });

  it("do the same through holds settled in one statement (the router's path)", async () => {
    const { accountId, userId } = await proAccountPastCredits(db, now);
    const book = await loadPriceBook(db, [{ providerId: "test-routed", modelId: "test/model" }]);
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        const event = routedUsage(accountId, userId, now, 100, { id: `race-${randomUUID()}` });
        const { month, reservationId } = await holdTwoDollars(userId, event.id);
        expect(reservationId).not.toBeNull();
        if (month)
          await settleHeld(db, [{ event, held: { holdNano: 2n * DOLLAR, month } }], {
            book,
            commit: "async",
          });
        else await settleUsage(db, [event], { book, commit: "async" });
      }),
    );
    await expectExact(accountId, 25);
  });

  it("settle a hold whose snapshot went stale once, in the events, the rollup and the counters", async () => {
    const { accountId, userId } = await userAccount(db, "pro"); // $2 of credits
    await settleUsage(db, [routedUsage(accountId, userId, now, 10)]); // the month exists: one statement holds
    const book = await loadPriceBook(db, [{ providerId: "test-routed", modelId: "test/model" }]);
    const event = routedUsage(accountId, userId, now, 100, { id: `stale-${randomUUID()}` });
    const { month } = await holdTwoDollars(userId, event.id);
    expect(month?.creditsUsedNano).toBe(DOLLAR / 10n);
    // Another request uses $1.50 of the credits after the hold saw $1.90 left.
    await settleUsage(db, [routedUsage(accountId, userId, now, 150)]);
    const [result] = (
      await settleHeld(db, [{ event, held: { holdNano: 2n * DOLLAR, month: month! } }], { book })
    ).results;
    expect(result).toMatchObject({
      status: "recorded",
      creditsNano: (4n * DOLLAR) / 10n,
      paygNano: (6n * DOLLAR) / 10n,
    });

    const [ledger] = await db.$queryRaw<
      { events: bigint; rollup: bigint; requests: bigint; counters: bigint }[]
    >`
      SELECT (SELECT sum(cost_nano) FROM usage_events WHERE account_id = ${accountId}::uuid)::bigint AS events,
             (SELECT sum(cost_nano) FROM usage_daily WHERE account_id = ${accountId}::uuid)::bigint AS rollup,
             (SELECT sum(requests) FROM usage_daily WHERE account_id = ${accountId}::uuid)::bigint AS requests,
             (SELECT sum(credits_used_nano + payg_nano) FROM account_periods WHERE account_id = ${accountId}::uuid)::bigint AS counters`;
    expect(ledger).toEqual({
      events: 260n * (DOLLAR / 100n),
      rollup: 260n * (DOLLAR / 100n),
      requests: 3n,
      counters: 260n * (DOLLAR / 100n),
    });
  });

  it("allocate a batch again when its months' credits were used while it stored its events", async () => {
    const { accountId, userId } = await userAccount(db, "pro"); // $2 of credits
    await settleUsage(db, [routedUsage(accountId, userId, now, 10)]); // $1.90 left
    const at = (ms: number) => new Date(now.getTime() + ms);
    const batch = [routedUsage(accountId, userId, at(1), 30), routedUsage(accountId, userId, at(2), 30)];
    // A concurrent settlement has used $1.50 more and holds the month until it commits.
    const other = await poolOf(db).connect();
    let settled: Awaited<ReturnType<typeof settleUsage>>;
    try {
      await other.query("BEGIN");
      await other.query(
        "UPDATE account_periods SET credits_used_nano = credits_used_nano + $1 WHERE account_id = $2",
        [(15n * DOLLAR) / 10n, accountId],
      );
      // The batch allocates from a snapshot with $1.90 left, stores its events, then waits for the month.
      const settling = settleUsage(db, batch);
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      settled = await settling;
    } finally {
      other.release();
    }
    // $0.40 was left: the first request takes $0.30 of it, the second the last $0.10, and pays $0.20.
    const cents = (n: bigint) => n * (DOLLAR / 100n);
    expect(settled.results).toEqual([
      { id: batch[0]!.id, status: "recorded", costNano: cents(30n), creditsNano: cents(30n), paygNano: 0n },
      {
        id: batch[1]!.id,
        status: "recorded",
        costNano: cents(30n),
        creditsNano: cents(10n),
        paygNano: cents(20n),
      },
    ]);
    const stored = await db.$queryRaw<{ id: string; credits: bigint; payg: bigint }[]>`
      SELECT id, credits_nano AS credits, payg_nano AS payg FROM usage_events
      WHERE id IN (${batch[0]!.id}, ${batch[1]!.id}) ORDER BY occurred_at`;
    expect(stored).toEqual([
      { id: batch[0]!.id, credits: cents(30n), payg: 0n },
      { id: batch[1]!.id, credits: cents(10n), payg: cents(20n) },
    ]);
    const [ledger] = await db.$queryRaw<
      { credits: bigint; payg: bigint; rollup: bigint; requests: bigint }[]
    >`
      SELECT (SELECT sum(credits_nano) FROM usage_events WHERE account_id = ${accountId}::uuid)::bigint AS credits,
             (SELECT sum(payg_nano) FROM usage_events WHERE account_id = ${accountId}::uuid)::bigint AS payg,
             (SELECT sum(credits_nano + payg_nano) FROM usage_daily WHERE account_id = ${accountId}::uuid)::bigint AS rollup,
             (SELECT sum(requests) FROM usage_daily WHERE account_id = ${accountId}::uuid)::bigint AS requests`;
    expect(ledger).toEqual({ credits: cents(50n), payg: cents(20n), rollup: cents(70n), requests: 3n });
    const month = await db.accountPeriod.findFirstOrThrow({ where: { accountId } });
    // The counters hold the events and the other settlement's $1.50: all $2 of credits, and $0.20.
    expect(month).toMatchObject({ creditsUsedNano: 2n * DOLLAR, paygNano: cents(20n) });
  });

  it("take an id stored by a concurrent batch after this one's snapshot as a duplicate, counted once", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const event = routedUsage(accountId, userId, now, 10);
    // Another batch stores the same id and has not committed yet.
    const other = await poolOf(db).connect();
    try {
      await other.query("BEGIN");
      await other.query("INSERT INTO usage_event_ids (id, account_id, occurred_at) VALUES ($1, $2, $3)", [
        event.id,
        accountId,
        now,
      ]);
      await other.query(
        `INSERT INTO usage_events (id, account_id, user_id, provider_id, model_id, mode, cost_nano, credits_nano, occurred_at)
         VALUES ($1, $2, $3, 'test-routed', 'test/model', 'routed', 7, 7, $4)`,
        [event.id, accountId, userId, now],
      );
      // This batch's snapshot misses it; its COPY waits on the other's id, then finds it taken.
      const settling = settleUsage(db, [event]);
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      const { results } = await settling;
      expect(results).toEqual([
        { id: event.id, status: "duplicate", costNano: 7n, creditsNano: 7n, paygNano: 0n },
      ]);
    } finally {
      other.release();
    }
    const [stored] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM usage_events WHERE id = ${event.id}`;
    expect(stored!.n).toBe(1n);
  });
});
