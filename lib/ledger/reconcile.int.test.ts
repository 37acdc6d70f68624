import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { settleUsage } from "./settle";
import { reconcileMonth } from "./reconcile";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const period = new Date("2026-02-01T00:00:00Z");
const at = (day: number) => new Date(Date.UTC(2026, 1, day, 12));

describe("reconciling a month against its raw events", () => {
  it("finds nothing on a settled month, reports each corruption, and repairs them", async () => {
    const a = await userAccount(db, "pro");
    const b = await userAccount(db, "pro");
    await settleUsage(db, [
      routedUsage(a.accountId, a.userId, at(3), 150), // $1.50: credits
      routedUsage(a.accountId, a.userId, at(4), 100), // $1.00: $0.50 credits, $0.50 pay-as-you-go
      routedUsage(b.accountId, b.userId, at(3), 25),
    ]);
    // Other tests may settle in this month too (in this worker's database): look at ours.
    const ours = async (repair = false) => {
      const r = await reconcileMonth(db, { period, repair });
      return {
        ...r,
        differences: r.differences.filter((d) => [a.accountId, b.accountId].includes(d.accountId)),
      };
    };
    expect((await ours()).differences).toEqual([]);

    // A rollup off by a nano-dollar, a rollup lost, and a counter that drifted.
    await db.$executeRaw`UPDATE usage_daily SET cost_nano = cost_nano + 1 WHERE account_id = ${a.accountId}::uuid AND day = '2026-02-03'`;
    await db.$executeRaw`DELETE FROM usage_daily WHERE account_id = ${b.accountId}::uuid`;
    await db.$executeRaw`UPDATE account_periods SET payg_nano = payg_nano + 7 WHERE account_id = ${a.accountId}::uuid AND period = '2026-02-01'`;

    const found = await ours();
    expect(found.differences.map((d) => [d.accountId, d.kind, d.stored === null])).toEqual(
      [
        [a.accountId, "counters", false],
        [a.accountId, "rollup", false],
        [b.accountId, "rollup", true],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[1]).localeCompare(String(y[1]))),
    );
    const counters = found.differences.find((d) => d.kind === "counters")!;
    expect(counters.expected).toEqual({ creditsUsedNano: "2000000000", paygNano: "500000000" });
    expect(counters.stored).toEqual({ creditsUsedNano: "2000000000", paygNano: "500000007" });
    expect(found.repaired).toBe(false);

    expect((await ours(true)).repaired).toBe(true);
    expect((await ours()).differences).toEqual([]);
    const month = await db.accountPeriod.findUniqueOrThrow({
      where: { accountId_period: { accountId: a.accountId, period } },
    });
    expect(month.paygNano).toBe(500_000_000n);
  });
});

describe("reconciling a month past retention", () => {
  it("refuses, and changes nothing, once the month's raw events are gone", async () => {
    const a = await userAccount(db, "pro");
    const old = new Date(Date.UTC(2031, 6, 3, 12)); // a month of its own in this worker's database
    await settleUsage(db, [routedUsage(a.accountId, a.userId, old, 25)]);
    await db.$executeRawUnsafe("DROP TABLE usage_events_2031_07");
    await expect(
      reconcileMonth(db, { period: new Date("2031-07-01T00:00:00Z"), repair: true }),
    ).rejects.toMatchObject({
      status: 409,
      code: "raw_events_not_kept",
    });
    const rollup = await db.usageDaily.aggregate({
      _sum: { costNano: true },
      where: { accountId: a.accountId },
    });
    expect(rollup._sum.costNano).toBe(250_000_000n);
  });
});
