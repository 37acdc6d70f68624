// `npm run load`: mixed traffic against the real app on 127.0.0.1 (its own embedded
// PostgreSQL, the offline sandbox providers): router calls, ingestion batches and dashboard
// reads from many accounts at once, for LOAD_DURATION seconds after a short warm-up. Prints
// per route the requests, throughput, p50/p99 and error rate, then checks that the money
// agrees exactly (agreement.ts). Exits 1 on any unexpected error or disagreement.
import pg from "pg";
import { freePort } from "@/lib/db/embedded";
import { createPrismaClient } from "@/lib/db/prisma";
import { benchDatabase, fmt, startApp } from "../bench/harness";
import { onFinish, runToEnd } from "../bench/lifecycle";
import { checkAgreement } from "./agreement";
import { drive } from "./drive";
import { newExpected } from "./expected";
import { createPopulation } from "./population";
import { figuresOf, printReport, writeJson } from "./report";
import { dashboardRoute } from "./route-dashboard";
import { ingestRoute } from "./route-ingest";
import { routerRoute } from "./route-router";

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1`);
  return value;
};
const DURATION = positive("LOAD_DURATION", 60);
const CONNECTIONS = positive("LOAD_CONNECTIONS", 10);
const USERS = positive("LOAD_USERS", 50);
const BATCH = positive("LOAD_BATCH", 100);
const WARMUP = positive("LOAD_WARMUP", 3);
const REPORT = process.env.LOAD_REPORT ?? "test-results/load.json";
// A fifth of the connections each to ingestion and dashboards, the rest to the router.
const SIDE = Math.max(1, Math.round(CONNECTIONS / 5));
const ROUTER_CONNECTIONS = Math.max(1, CONNECTIONS - 2 * SIDE);

const began = performance.now();
const database = await benchDatabase();
const db = createPrismaClient(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
// Stopped in reverse order at the end, whatever happened (the database registers itself).
onFinish(() => db.$disconnect());
onFinish(() => pool.end());

async function main(): Promise<number> {
  const pop = await createPopulation(db, { users: USERS });

  delete process.env.ROUTER_UPSTREAMS; // the built-in sandbox answers: offline and deterministic
  const port = process.env.LOAD_PORT ? positive("LOAD_PORT", 0) : await freePort();
  const app = await startApp(database.url, port);
  const baseUrl = `http://127.0.0.1:${port}`;
  const setupSeconds = (performance.now() - began) / 1_000;

  const expected = newExpected();
  const routesFor = (phase: string, connections: { router: number; side: number }) => [
    routerRoute(pop, expected, connections.router),
    ingestRoute(pop, expected, { connections: connections.side, batch: BATCH, phase }),
    dashboardRoute(pop, connections.side),
  ];

  // Warm-up (JIT, connection pools, first-request loading): billed and checked like the rest,
  // reported apart.
  const warmup = routesFor("w", { router: 1, side: 1 });
  await drive(
    baseUrl,
    warmup.map((r) => r.spec),
    WARMUP,
  );
  for (const r of warmup) r.finish();

  const routes = routesFor("m", { router: ROUTER_CONNECTIONS, side: SIDE });
  const runs = await drive(
    baseUrl,
    routes.map((r) => r.spec),
    DURATION,
  );
  for (const r of routes) r.finish();
  await app.stop(); // nothing more is written once the app is gone

  const agreement = await checkAgreement(db, pool, pop, expected);
  const figures = routes.map((r) => figuresOf(r.spec, runs[r.spec.name]!));
  const all = routes.map((r) => r.spec.tally);
  const warmupErrors = warmup.reduce((s, r) => s + r.spec.tally.errors, 0);
  const errors = all.reduce((s, t) => s + t.errors, 0) + warmupErrors;
  const idle = figures.filter((f) => f.ok === 0).map((f) => f.route);
  const seconds = Math.max(...Object.values(runs).map((r) => r.seconds));

  printReport({
    heading:
      `load  ${DURATION} s of mixed traffic (after ${WARMUP} s of warm-up), ${USERS} users and ${pop.orgs.length} orgs, ` +
      `${CONNECTIONS} connections, ingestion batches of ${BATCH}; setup and app start ${fmt(setupSeconds, 1)} s`,
    figures,
    samples: [...warmup, ...routes].flatMap((r) => r.spec.tally.samples.map((s) => `${r.spec.name}: ${s}`)),
    checks: agreement.checks,
    moneyAgrees: agreement.ok,
  });
  console.log(
    `  ${fmt(agreement.events)} usage events, $${fmt(Number(agreement.billedNano) / 1e9, 2)} billed; warm-up errors: ${warmupErrors}` +
      (idle.length ? `; NO successful request on: ${idle.join(", ")}` : ""),
  );
  writeJson(REPORT, {
    load: {
      durationSeconds: DURATION,
      measuredSeconds: Number(seconds.toFixed(2)),
      connections: CONNECTIONS,
      users: USERS,
      batch: BATCH,
    },
    routes: figures,
    events: agreement.events,
    billedNano: agreement.billedNano,
    checks: agreement.checks,
    moneyAgrees: agreement.ok,
    errors,
  });
  console.log(`  figures written to ${REPORT}; total ${fmt((performance.now() - began) / 1_000, 1)} s`);
  return agreement.ok && errors === 0 && idle.length === 0 ? 0 : 1;
}

// Bounded in time whatever hangs: setup (with a first build) gets 15 minutes, the traffic its
// seconds, the drain and the checks 2 minutes.
await runToEnd(main, { boundSeconds: 15 * 60 + WARMUP + DURATION + 120 });
