import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect } from "@playwright/test";
import { freePort, startOrAttachEmbedded } from "@/lib/db/embedded";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { reconcileMonth } from "@/lib/ledger/reconcile";
import { runBillingJobs } from "@/lib/ledger/jobs";
import { databaseBooks } from "@/lib/payments/local-books";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { prepareDatabase } from "@/lib/server/prepare-database";
import { createUser } from "@/lib/accounts/users";
import { createApiToken, createServiceToken } from "@/lib/auth/tokens";

// What a fault test kills and restarts, as real processes: the app, a slow provider and a
// PostgreSQL of the test's own (the operator CLI is in admin-cli.ts); and the checks that end it.

/** A port beside the main e2e server's (E2E_PORT), one offset per spec so parallel specs never collide. */
export const sidePort = (offset: number) => Number(process.env.E2E_PORT ?? 3210) + offset;

/** A test that times out never reaches its `finally`: its processes go when the worker does. */
function killOnExit(child: ChildProcess) {
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
}

export interface AppProcess {
  /** Sends the signal (SIGTERM by default) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The end of what it printed, for a failing test's message. */
  output(): string;
}

/** The real app (`scripts/start.ts`, the build the other specs use) on `port`, with `env` over ours. */
export function startApp(port: number, env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killOnExit(child);
  const app: AppProcess = {
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    output: () => log,
  };
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      keep(d);
      if (d.toString().includes("ready on")) resolve(app);
    });
    child.once("exit", (code) => reject(new Error(`the app exited early (${code}):\n${log}`)));
  });
}

/** An OpenAI-compatible provider that answers after `delayMs` (scripts/bench/fake-upstream.ts), as a process. */
export async function startSlowUpstream(delayMs: number): Promise<{ baseUrl: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/fake-upstream.ts"], {
    env: { ...process.env, PORT: String(port), UPSTREAM_DELAY_MS: String(delayMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  killOnExit(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`the fake upstream exited (${code})`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}/v1`, stop: () => child.kill() };
}

export interface OwnDatabase {
  url: string;
  /** The test's own connections (idle ones that die with the server are dropped quietly). */
  pool: pg.Pool;
  /** A fast shutdown (SIGINT): clients are disconnected, committed work is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port, so its clients find it where they left it. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** An embedded PostgreSQL of the test's own, migrated, with the catalog, in a temporary folder. */
export async function ownDatabase(): Promise<OwnDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-db-"));
  fs.chmodSync(dir, 0o755); // run as root, the server runs as the postgres user, who must reach it
  const port = await freePort();
  let server = await startOrAttachEmbedded(dir, undefined, { port });
  await prepareDatabase(server.url);
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on("error", () => undefined);
  return {
    url: server.url,
    pool,
    stop: () => server.stop(),
    async start() {
      server = await startOrAttachEmbedded(dir, undefined, { port });
    },
    async close() {
      await pool.end();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Prisma client on `url` for the length of `work`. */
export async function withDb<T>(url: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = createPrismaClient(url);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** PRO users with an access token each (the router's callers), and a service token (ingestion's). */
export function callers(url: string, prefix: string, n: number) {
  return withDb(url, async (db) => {
    const users = [];
    for (let i = 0; i < n; i++) {
      const user = await createUser(db, { email: `${prefix}-${i}@example.com`, plan: "pro" });
      const { token } = await createApiToken(db, { userId: user.id, name: prefix });
      users.push({ id: user.id, accountId: user.billingAccount!.id, token });
    }
    const { token: serviceToken } = await createServiceToken(db, { name: prefix });
    return { users, serviceToken };
  });
}

/** The billing jobs the app runs every minute (`run-billing-jobs`), now: they sweep expired holds. */
export const runJobsNow = (url: string) =>
  withDb(url, (db) => runBillingJobs(db, createLocalProcessor(databaseBooks(db)), { production: false }));

/** Polls `check` until it returns something truthy, for at most `timeoutMs`; an error it throws ends the wait. */
export async function waitFor<T>(what: string, check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Money agrees: no hold is left (none in reservations, none counted in any month), and for every
 * month with usage, reconciliation (`npm run admin -- reconcile`) recomputes the rollups and counters from the raw events and
 * finds no difference.
 */
export async function expectMoneyAgrees(db: OwnDatabase) {
  const { rows } = await db.pool.query<{ holds: string; reserved: string }>(`
    SELECT (SELECT count(*) FROM reservations)::text AS holds,
           (SELECT coalesce(sum(reserved_nano), 0) FROM account_periods)::text AS reserved`);
  expect(rows[0]).toEqual({ holds: "0", reserved: "0" });
  const months = await db.pool.query<{ month: string }>(
    `SELECT DISTINCT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM usage_events`,
  );
  expect(months.rows.length).toBeGreaterThan(0);
  for (const { month } of months.rows) {
    const period = new Date(`${month}-01T00:00:00Z`);
    const report = await withDb(db.url, (prisma) => reconcileMonth(prisma, { period, repair: false }));
    expect(report).toMatchObject({ month, differences: [] });
  }
}
