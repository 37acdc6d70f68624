import fs from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createServiceToken } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db/client";
import { poolOf } from "@/lib/db/prisma";
import { ERROR_CODES, errorBodySchema } from "@/lib/http/error-codes";
import { badTextAt } from "@/lib/http/parse";
import { ensureTestCatalog, orgAccount } from "@/lib/testing/billing-fixtures";
import { appHandler, appRoutes, type AppHandler } from "@/lib/testing/app-routes";
import {
  baseOf,
  brokenRequest,
  malformed,
  oversizedRequest,
  type FuzzRequest,
  type FuzzRoute,
} from "@/lib/testing/fuzz";
import { CONTRACTS } from "./contracts";
import { errorCodesOf } from "./openapi";

/**
 * The contract-driven fuzzer (issue 18): malformed requests to every route, generated from the
 * contracts, each answered 4xx with the error shape, and no row of any table changed.
 * Deterministic by seed: FUZZ_SEED and FUZZ_RUNS (requests per route) change it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 320);
const CONCURRENCY = 8;

const db = getDb(); // the very client the route handlers use
const pool = poolOf(db);
const routes: { route: FuzzRoute; handler: AppHandler }[] = [];

beforeAll(async () => {
  await ensureTestCatalog(db);
  const org = await orgAccount(db, "team", 2, 1);
  const fixture = {
    orgName: org.orgName,
    userToken: (await createApiToken(db, { userId: org.memberIds[0]!, name: "fuzz" })).token,
    serviceToken: (await createServiceToken(db, { name: "fuzz" })).token,
  };
  for (const { id, contract } of CONTRACTS) {
    if (contract.auth === "public") continue; // no input to break
    const file = appRoutes.find((r) => r.method === contract.method && r.path === contract.path)!;
    routes.push({ route: baseOf(id, contract, fixture), handler: (await appHandler(file))! });
  }
}, 120_000);
afterAll(() => db.$disconnect());

/**
 * Every row of every table, as one digest per table. `last_used_at` is left out: a token that
 * authenticates is used, whatever the request then asks (it is written at most once a minute).
 */
async function tableDigests(): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string; columns: string }>(
    `SELECT c.table_name AS name,
            string_agg(format('t.%I', c.column_name), ', ' ORDER BY c.ordinal_position) AS columns
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name <> 'last_used_at'
      GROUP BY c.table_name ORDER BY 1`,
  );
  const digests: Record<string, string> = {};
  for (const { name, columns } of tables) {
    const { rows } = await pool.query<{ digest: string | null; n: string }>(
      `SELECT md5(string_agg(md5(row(${columns})::text), '' ORDER BY md5(row(${columns})::text))) AS digest,
              count(*)::text AS n
         FROM ONLY "${name}" t`,
    );
    digests[name] = `${rows[0]!.n}:${rows[0]!.digest ?? "-"}`;
  }
  return digests;
}

async function send(handler: AppHandler, route: FuzzRoute, r: FuzzRequest) {
  // The handler reads its params from ctx, as Next decodes them; the URL only has to be one.
  const segment = (v: string) => (badTextAt(v) === null ? encodeURIComponent(v) : "x");
  const url = `http://localhost${route.contract.path.replace(/\{(\w+)\}/g, (_m, p: string) =>
    segment(r.params[p] ?? ""),
  )}${r.search ? `?${r.search}` : ""}`;
  const sendsBody = r.body !== undefined && route.contract.method !== "GET";
  // As over HTTP, a body comes with its length (a Request in memory does not show it).
  const headers = sendsBody ? { ...r.headers, "content-length": String(r.body!.byteLength) } : r.headers;
  const req = new Request(url, {
    method: route.contract.method,
    headers,
    body: sendsBody ? (r.body as BodyInit) : undefined,
  });
  const res = await handler(req, { params: Promise.resolve(r.params) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* checked below */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** What is wrong with an answer to a malformed request, or null. */
function verdict(route: FuzzRoute, res: Awaited<ReturnType<typeof send>>): string | null {
  if (res.status < 400 || res.status > 499) return `status ${res.status}: ${res.text.slice(0, 200)}`;
  const body = errorBodySchema.safeParse(res.json);
  if (!body.success) return `not the error shape: ${res.text.slice(0, 200)}`;
  const code = body.data.error.code;
  if (!(code in ERROR_CODES)) return `unregistered code ${code}`;
  if (!errorCodesOf(route.contract).includes(code as keyof typeof ERROR_CODES))
    return `code ${code} is not in the contract's documented errors`;
  if (res.headers.get("cache-control") !== "no-store")
    return `cache-control ${res.headers.get("cache-control")}`;
  return null;
}

describe("the contract-driven fuzzer", () => {
  it(`answers ≥ 10,000 malformed requests over every route with 4xx and the error shape, and changes no row (seed ${SEED})`, async () => {
    const before = await tableDigests();
    const requests: { route: FuzzRoute; handler: AppHandler; r: FuzzRequest }[] = [];
    let generated = 0;
    routes.forEach(({ route, handler }, i) => {
      const sample = fc.sample(brokenRequest(route), { seed: SEED + i, numRuns: RUNS_PER_ROUTE });
      generated += sample.length;
      for (const r of sample) if (malformed(route, r)) requests.push({ route, handler, r });
      if (route.contract.method !== "GET") requests.push({ route, handler, r: oversizedRequest(route) });
    });

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let i = 0; i < requests.length; i += CONCURRENCY) {
      await Promise.all(
        requests.slice(i, i + CONCURRENCY).map(async ({ route, handler, r }) => {
          const res = await send(handler, route, r);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const wrong = verdict(route, res);
          if (wrong)
            failures.push(`${route.contract.method} ${route.contract.path} [${r.mutation}]: ${wrong}`);
        }),
      );
    }
    const after = await tableDigests();
    const changed = Object.keys(after).filter((t) => after[t] !== before[t]);

    const figures = {
      seed: SEED,
      routes: routes.length,
      generated,
      sent: requests.length,
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      failures: failures.length,
      tablesChecked: Object.keys(after).length,
      tablesChanged: changed,
    };
    console.log(`[fuzz] ${JSON.stringify(figures)}`);
    if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, failures.join("\n"));
    expect(
      failures.slice(0, 20),
      `seed ${SEED}: ${failures.length} wrong answers (rerun with FUZZ_SEED=${SEED})`,
    ).toEqual([]);
    expect(changed, `seed ${SEED}: tables changed`).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(requests.map((q) => q.route.id)).size).toBe(routes.length);
  }, 600_000);
});
