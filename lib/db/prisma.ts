import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";

const POOLS = Symbol.for("inference-billing.db-pools");

/** Columns that hold secrets are left out of every query unless a query asks for them by name. */
const omitSecrets = {
  user: { passwordHash: true },
  apiToken: { tokenHash: true },
  providerKey: { ciphertext: true, iv: true, authTag: true },
  alertWebhook: { secretCiphertext: true, secretIv: true, secretAuthTag: true },
} as const;

type PoolEntry = { connectionString: string; sync: pg.Pool; async?: pg.Pool };
// Kept on globalThis: Next bundles route handlers and pages separately, each with its own copy
// of this module, and getDb()'s one client (also on globalThis) is made by whichever runs first.
const pools = ((globalThis as { [POOLS]?: WeakMap<object, PoolEntry> })[POOLS] ??= new WeakMap());

/**
 * A connection that breaks (the database restarted, or shut down under us) emits "error", which
 * kills the process (or, under Next, is logged as an uncaught exception) unless someone listens.
 * Idle, its pool emits it, drops the connection and opens a new one on the next query: logging
 * it is all there is to do. Checked out (between two statements of a transaction), its client
 * emits it: the next statement on it fails as an outage (a 503), and the pool drops it on release.
 */
function survivingConnectionErrors(pool: pg.Pool): pg.Pool {
  pool.on("error", (e) => console.error(`[db] idle connection lost: ${e.message}`));
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/** Prisma over a pg pool that the request path's hand-written SQL shares (see poolOf). */
export function createPrismaClient(connectionString: string) {
  const pool = survivingConnectionErrors(new pg.Pool({ connectionString, max: 10, allowExitOnIdle: true }));
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    omit: omitSecrets,
  });
  pools.set(client, { connectionString, sync: pool });
  return client;
}

export type Db = ReturnType<typeof createPrismaClient>;
/** The client inside an interactive transaction. */
export type DbTx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
/** Either one: domain functions that do not open a transaction themselves accept both. */
export type DbOrTx = Db | DbTx;

export type Commit = "sync" | "async";

/**
 * The pool under a client, for the hot path's SQL (prepared statements, no ORM in between).
 * `commit: "async"`: a second pool whose sessions commit without waiting for the WAL flush
 * (synchronous_commit off): still atomic and consistent, but a database crash can lose the last
 * fraction of a second of commits. Only for writes nobody relies on surviving such a crash.
 * Its sessions also plan each prepared statement once (force_generic_plan): the router's
 * batched statements, over arrays of unknown length, were otherwise re-planned on every call,
 * which cost more than running them; they are written so the generic plan is all index lookups.
 */
export function poolOf(db: Db, commit: Commit = "sync"): pg.Pool {
  const pools_ = pools.get(db);
  if (!pools_) throw new Error("This client was not made by createPrismaClient.");
  if (commit === "sync") return pools_.sync;
  pools_.async ??= survivingConnectionErrors(
    new pg.Pool({
      connectionString: pools_.connectionString,
      max: 10,
      allowExitOnIdle: true,
      options: "-c synchronous_commit=off -c plan_cache_mode=force_generic_plan",
    }),
  );
  return pools_.async;
}
