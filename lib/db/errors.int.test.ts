import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort } from "./embedded";
import { createPrismaClient, poolOf } from "./prisma";
import { isDatabaseUnavailable, isTransactionConflict, isUniqueViolation } from "./errors";
import { errorResponse } from "@/lib/api/route";

const url = process.env.DATABASE_URL!;
const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );
const clients: { end(): Promise<unknown> }[] = [];
afterAll(() => Promise.all(clients.map((c) => c.end().catch(() => undefined))));

describe("telling an unreachable database from a refused query", () => {
  it("sees a refused connection, through node-postgres and through Prisma", async () => {
    const dead = `postgresql://nobody:x@127.0.0.1:${await freePort()}/none`;
    const client = new pg.Client({ connectionString: dead });
    expect(isDatabaseUnavailable(await caught(client.connect()))).toBe(true);
    const prisma = createPrismaClient(dead);
    expect(isDatabaseUnavailable(await caught(prisma.user.count()))).toBe(true);
  });

  it("sees a connection the server terminated (as on a restart)", async () => {
    const victim = new pg.Client({ connectionString: url });
    const admin = new pg.Client({ connectionString: url });
    clients.push(victim, admin);
    victim.on("error", () => undefined);
    await Promise.all([victim.connect(), admin.connect()]);
    const pid = (await victim.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    const sleeping = caught(victim.query("SELECT pg_sleep(5)"));
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    expect(isDatabaseUnavailable(await sleeping)).toBe(true);
  });

  it("outlives idle connections the server terminated, and reconnects on the next query", async () => {
    const db = createPrismaClient(url);
    const admin = new pg.Client({ connectionString: url });
    clients.push(admin, { end: () => db.$disconnect() });
    await admin.connect();
    for (const pool of [poolOf(db), poolOf(db, "async")]) {
      const pid = (await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      // The pool drops the broken connection once its "error" event was handled (an unhandled
      // one would crash the process, and fail this run).
      await expect.poll(() => pool.totalCount).toBe(0);
      expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    }
  });

  it("sees a connection terminated under a Prisma query (the SQLSTATE inside Prisma's error)", async () => {
    const db = createPrismaClient(url);
    const admin = new pg.Client({ connectionString: url });
    clients.push(admin, { end: () => db.$disconnect() });
    await admin.connect();
    const sleeping = caught(db.$queryRaw`SELECT pg_sleep(5), 'prisma-victim'`);
    const pid = await vi.waitFor(async () => {
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE query LIKE '%prisma-victim%' AND pid <> pg_backend_pid()",
      );
      expect(rows).toHaveLength(1);
      return rows[0]!.pid;
    });
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    expect(isDatabaseUnavailable(await sleeping)).toBe(true);
  });

  it("outlives a connection terminated between two statements of a transaction, and calls it an outage", async () => {
    const db = createPrismaClient(url);
    const admin = new pg.Client({ connectionString: url });
    clients.push(admin, { end: () => db.$disconnect() });
    await admin.connect();
    const pool = poolOf(db);
    const client = await pool.connect();
    const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    await client.query("BEGIN");
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    // Gone before the next statement: the checked-out client hears of it with no query running
    // (an "error" event nobody handled would be an uncaught exception, and fail this run).
    await vi.waitFor(async () => {
      const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
      expect(rows).toHaveLength(0);
    });
    expect(isDatabaseUnavailable(await caught(client.query("SELECT 1")))).toBe(true);
    client.release();
    expect(pool.totalCount).toBe(0); // the broken connection is not reused
    expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("does not mistake a refused query for an outage", async () => {
    const client = new pg.Client({ connectionString: url });
    clients.push(client);
    await client.connect();
    const syntax = await caught(client.query("SELEC 1"));
    const division = await caught(client.query("SELECT 1/0"));
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    expect(isDatabaseUnavailable(division)).toBe(false);
    expect(isUniqueViolation(syntax)).toBe(false);
  });

  it("answers an outage with 503, a retry hint and the error shape", async () => {
    const client = new pg.Client({ connectionString: `postgresql://x:y@127.0.0.1:${await freePort()}/z` });
    const res = errorResponse(await caught(client.connect()));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.json()).toEqual({
      error: { code: "service_unavailable", message: expect.stringMatching(/Retry/), retryAfterSeconds: 2 },
    });
  });
});

describe("telling a transaction PostgreSQL rolled back to break a deadlock", () => {
  it("sees the victim of a real deadlock, and not a refused query", async () => {
    const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    clients.push(a, b);
    await Promise.all([a.connect(), b.connect()]);
    await a.query("BEGIN");
    await b.query("BEGIN");
    await a.query("SELECT pg_advisory_xact_lock(71)");
    await b.query("SELECT pg_advisory_xact_lock(72)");
    // Each now waits for the other's lock: PostgreSQL rolls one of them back.
    const outcomes = await Promise.all([
      caught(a.query("SELECT pg_advisory_xact_lock(72)")),
      caught(b.query("SELECT pg_advisory_xact_lock(71)")),
    ]);
    await Promise.all([a.query("ROLLBACK"), b.query("ROLLBACK")]);
    const victims = outcomes.filter((e) => e !== null);
    expect(victims).toHaveLength(1);
    expect(isTransactionConflict(victims[0])).toBe(true);
    expect(isTransactionConflict(await caught(a.query("SELECT 1/0")))).toBe(false);
  });
});
