import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { withClient } from "@/lib/db/with-client";
import { settleUsage } from "@/lib/ledger/settle";
import { createPrismaClient, poolOf } from "@/lib/db/prisma";
import { prepareDatabase } from "@/lib/server/prepare-database";
import { ensureTestCatalog, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { freshDatabase, testDb } from "@/lib/testing/db";
import { ingestUsage } from "./ingest";
import { dropUsagePartitionsBefore, ensureUsagePartitions, readyMonths } from "@/lib/db/usage-partitions";
import { retentionHorizon } from "@/lib/kernel/retention";

const db = testDb();
const pool = poolOf(db);
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const partitions = async () =>
  (
    await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'usage_events'::regclass ORDER BY 1`,
    )
  ).rows.map((r) => r.name);
const partitionName = (d: Date) => `usage_events_${d.toISOString().slice(0, 7).replace("-", "_")}`;

describe("usage events partitioned by month", () => {
  it("are range-partitioned on occurred_at, with last month, this one and the next three ready", async () => {
    const { rows } = await pool.query<{ strategy: string; key: string }>(
      `SELECT p.partstrat AS strategy, pg_get_partkeydef(p.partrelid) AS key
       FROM pg_partitioned_table p WHERE p.partrelid = 'usage_events'::regclass`,
    );
    expect(rows).toEqual([{ strategy: "r", key: "RANGE (occurred_at)" }]);
    const ready = readyMonths(new Date());
    expect(ready).toHaveLength(5);
    expect(await partitions()).toEqual(expect.arrayContaining(ready.map(partitionName)));
  });

  it("creates a missing month's partition when an event needs it (a billing clock moved far ahead), and counts the event once", async () => {
    const a = await userAccount(db, "pro");
    const at = new Date("2031-03-10T12:00:00Z");
    expect(await partitions()).not.toContain("usage_events_2031_03");
    const usage = routedUsage(a.accountId, a.userId, at, 150);
    const [first] = (await settleUsage(db, [usage])).results;
    expect(first).toMatchObject({ status: "recorded", costNano: 1_500_000_000n });
    expect(await partitions()).toContain("usage_events_2031_03");
    const { rows } = await pool.query(`SELECT id FROM usage_events_2031_03 WHERE account_id = $1`, [
      a.accountId,
    ]);
    expect(rows).toEqual([{ id: usage.id }]);
  });

  it("keeps an id counted once forever, even re-sent with a date in another month", async () => {
    const a = await userAccount(db, "pro");
    const usage = routedUsage(a.accountId, a.userId, new Date("2026-03-05T00:00:00Z"), 100);
    await settleUsage(db, [usage]);
    const [again] = (await settleUsage(db, [{ ...usage, occurredAt: new Date("2026-04-05T00:00:00Z") }]))
      .results;
    expect(again).toMatchObject({ status: "duplicate", costNano: 1_000_000_000n });
    const { rows } = await pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM usage_events WHERE account_id = $1",
      [a.accountId],
    );
    expect(rows).toEqual([{ n: "1" }]);
  });

  it("lets many sessions create the same months at once", async () => {
    const months = [new Date("2018-01-15T00:00:00Z"), new Date("2018-02-15T00:00:00Z")];
    const clients = Array.from(
      { length: 6 },
      () => new pg.Client({ connectionString: process.env.DATABASE_URL }),
    );
    await Promise.all(clients.map((c) => c.connect()));
    try {
      await Promise.all(clients.map((c) => ensureUsagePartitions(c, months)));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await partitions()).toEqual(
      expect.arrayContaining(["usage_events_2018_01", "usage_events_2018_02"]),
    );
  });

  it("reads one month from its partition alone", async () => {
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT sum(cost_nano) FROM usage_events
       WHERE occurred_at >= '2026-03-01T00:00:00Z' AND occurred_at < '2026-04-01T00:00:00Z'`,
    );
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).toContain("usage_events_2026_03");
    expect(plan).not.toMatch(/usage_events_2026_0[24]/);
  });
});

describe("retention", () => {
  // Dropping months must not disturb other tests' data: a database of its own.
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let own: ReturnType<typeof createPrismaClient>;
  beforeAll(async () => {
    fresh = await freshDatabase();
    await prepareDatabase(fresh.url);
    own = createPrismaClient(fresh.url);
    await ensureTestCatalog(own);
  }, 120_000);
  afterAll(async () => {
    await own.$disconnect();
    await fresh.drop();
  });

  it("drops the months before the horizon with their ids, keeps rollups and counters, refuses older events", async () => {
    const a = await userAccount(own, "pro");
    const now = new Date();
    const horizon = retentionHorizon(now, 3);
    const old = new Date(horizon.getTime() - 86_400_000); // the last day before the horizon
    const kept = new Date(horizon.getTime() + 86_400_000);
    const usage = [
      routedUsage(a.accountId, a.userId, old, 100),
      routedUsage(a.accountId, a.userId, kept, 50),
    ];
    await settleUsage(own, usage);

    const ownPool = poolOf(own);
    const dropped = await dropUsagePartitionsBefore(ownPool, horizon);
    expect(dropped).toContain(old.toISOString().slice(0, 7));
    expect(dropped).not.toContain(kept.toISOString().slice(0, 7));
    const { rows } = await ownPool.query<{ events: string; ids: string; rollup: string; counters: string }>(
      `SELECT (SELECT count(*) FROM usage_events WHERE account_id = $1)::text AS events,
              (SELECT count(*) FROM usage_event_ids WHERE account_id = $1)::text AS ids,
              (SELECT sum(cost_nano) FROM usage_daily WHERE account_id = $1)::text AS rollup,
              (SELECT sum(credits_used_nano + payg_nano) FROM account_periods WHERE account_id = $1)::text AS counters`,
      [a.accountId],
    );
    expect(rows).toEqual([{ events: "1", ids: "1", rollup: "1500000000", counters: "1500000000" }]);

    const event = (occurredAt: Date) => ({
      id: `retention-${occurredAt.getTime()}`,
      userId: a.userId,
      provider: "test-routed",
      model: "test/model",
      mode: "routed",
      inputTokens: 1_000,
      occurredAt: occurredAt.toISOString(),
    });
    await expect(ingestUsage(own, [event(old)], { retentionMonths: 3 })).rejects.toMatchObject({
      status: 400,
      code: "invalid_events",
      details: { errors: [{ index: 0, message: expect.stringContaining("3-month retention") }] },
    });
    expect(await ingestUsage(own, [event(kept)], { retentionMonths: 3 })).toMatchObject({
      results: [{ status: "recorded" }],
    });
  });
});

describe("ingestion dates", () => {
  it("refuses an event dated far ahead per event, and makes no partition or month for it", async () => {
    const a = await userAccount(db, "pro");
    const event = (id: string, occurredAt: string) => ({
      id,
      userId: a.userId,
      provider: "test-routed",
      model: "test/model",
      mode: "routed",
      inputTokens: 1_000,
      occurredAt,
    });
    const soon = new Date(Date.now() + 4 * 60_000).toISOString(); // within the clock skew allowed
    await expect(
      ingestUsage(db, [event(`far-${a.userId}`, "9999-12-31T23:59:59Z"), event(`soon-${a.userId}`, soon)]),
    ).rejects.toMatchObject({
      code: "invalid_events",
      details: { errors: [{ index: 0, code: "occurred_in_future" }] },
    });
    expect(await partitions()).not.toContain("usage_events_9999_12");
    expect(await db.accountPeriod.count({ where: { accountId: a.accountId } })).toBe(0);
    expect(await ingestUsage(db, [event(`soon-${a.userId}`, soon)])).toMatchObject({
      results: [{ status: "recorded" }],
    });
  });
});

describe("the migration to partitions", () => {
  it("moves every existing event into its month's partition and registers its id", async () => {
    const fresh = await freshDatabase();
    const before = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
    try {
      // The schema as it was before the partitioning migration, with events in two months.
      for (const m of readMigrations().filter((m) => m.name < "20261201000000")) {
        fs.mkdirSync(path.join(before, m.name));
        fs.writeFileSync(path.join(before, m.name, "migration.sql"), m.sql);
      }
      await withClient(fresh.url, (c) => migrate(c, before));
      // In SQL: today's Prisma client knows columns this older schema does not have yet.
      await withClient(fresh.url, (c) =>
        c.query(`INSERT INTO providers (id, display_name, billing_integrated, pricing_unit, base_url)
                 VALUES ('test-routed', 'test-routed', true, 'token', 'http://127.0.0.1:9/v1');
                 INSERT INTO models (id, display_name) VALUES ('test/model', 'Test model')`),
      );
      const old = createPrismaClient(fresh.url);
      const a = await userAccount(old, "pro");
      await old.$disconnect();
      const insert = `INSERT INTO usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, cost_nano, payg_nano, occurred_at)
                      VALUES ($1, $2, $3, 'test-routed', 'test/model', 'routed', 1000, $4, $4, $5)`;
      await withClient(fresh.url, async (c) => {
        await c.query(insert, ["old-1", a.accountId, a.userId, 7, "2025-06-30T23:59:59.999Z"]);
        await c.query(insert, ["old-2", a.accountId, a.userId, 11, "2025-07-01T00:00:00Z"]);
      });

      await withClient(fresh.url, (c) => migrate(c));
      const rows = await withClient(fresh.url, async (c) => {
        const events = await c.query(
          "SELECT tableoid::regclass::text AS part, id, cost_nano::text AS cost FROM usage_events ORDER BY id",
        );
        const ids = await c.query("SELECT id FROM usage_event_ids ORDER BY id");
        return { events: events.rows, ids: ids.rows };
      });
      expect(rows).toEqual({
        events: [
          { part: "usage_events_2025_06", id: "old-1", cost: "7" },
          { part: "usage_events_2025_07", id: "old-2", cost: "11" },
        ],
        ids: [{ id: "old-1" }, { id: "old-2" }],
      });
    } finally {
      fs.rmSync(before, { recursive: true, force: true });
      await fresh.drop();
    }
  }, 120_000);
});
