// `npm run bench:dashboard`: the usage breakdown over 10 million usage events of one org.
// Measures, in the same run, on the real app: the breakdown API's latency (GET
// /api/billing/usage, from the daily rollups) and the org usage page's server response time,
// each beside a naive GROUP BY over the raw events that would answer the same question.
// Targets: API p95 <= 100 ms, page <= 300 ms.
import http from "node:http";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { encode } from "next-auth/jwt";
import { addMember, createOrg } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { startSession } from "@/lib/auth/sessions";
import { createApiToken } from "@/lib/auth/tokens";
import { freePort } from "@/lib/db/embedded";
import { createPrismaClient } from "@/lib/db/prisma";
import { pastMonth } from "@/lib/usage/range";
import { benchDatabase, fmt, percentile, startApp } from "./harness";
import { benchSize, runToEnd } from "./lifecycle";
import { copyUsageEvents, rollUp, type ServedModel } from "./generate-usage";

const EVENTS = benchSize("BENCH_EVENTS", 10_000_000, 20_000);
const MEMBERS = benchSize("BENCH_MEMBERS", 25, 5);
const API_SAMPLES = benchSize("BENCH_SAMPLES", 40, 2); // per groupBy
const PAGE_SAMPLES = benchSize("BENCH_PAGE_SAMPLES", 20, 2);
const NAIVE_SAMPLES = benchSize("BENCH_NAIVE_SAMPLES", 3, 1); // per groupBy: each scans every event
const GROUP_BYS = ["model", "provider", "member", "day"] as const;

await runToEnd(
  async () => {
    const database = await benchDatabase();
    const db = createPrismaClient(database.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });

    // One Enterprise org, its members, and an admin with an access token and a session.
    const org = await createOrg(db, {
      name: "bench-org",
      displayName: "Bench Org",
      plan: "enterprise",
      seats: MEMBERS,
    });
    const accountId = org.billingAccount!.id;
    const members: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const user = await createUser(db, {
        email: `member${i}@bench.example`,
        name: `Member ${i}`,
        plan: "free",
      });
      await addMember(db, { orgName: org.name, email: user.email, role: i === 0 ? "admin" : "write" });
      members.push(user.id);
    }
    const { token } = await createApiToken(db, { userId: members[0]!, name: "bench" });

    // Every token-priced model of the catalog, at its current price per token.
    const prices = await db.price.findMany({ orderBy: { effectiveFrom: "desc" } });
    const served: ServedModel[] = [];
    const seen = new Set<string>();
    for (const p of prices) {
      const key = `${p.providerId}|${p.modelId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      served.push({
        providerId: p.providerId,
        modelId: p.modelId,
        inNano: p.inputNanoPerMillion / 1_000_000n,
        outNano: p.outputNanoPerMillion / 1_000_000n,
      });
    }

    const now = new Date();
    const range = pastMonth(now); // the page's default: the 31 UTC days ending today
    console.error(
      `generating ${fmt(EVENTS)} usage events for one org (${MEMBERS} members, ${served.length} provider/model pairs, ${range.from} to ${range.to})`,
    );
    const genStart = performance.now();
    await copyUsageEvents(pool, {
      accountId,
      members,
      served,
      count: EVENTS,
      end: new Date(range.to),
      days: 31,
    });
    const copySeconds = (performance.now() - genStart) / 1_000;
    const rollStart = performance.now();
    await rollUp(pool, accountId);
    const rollSeconds = (performance.now() - rollStart) / 1_000;
    const {
      rows: [sizes],
    } = await pool.query<{ events: string; rollups: string }>(
      "SELECT (SELECT count(*) FROM usage_events)::text AS events, (SELECT count(*) FROM usage_daily)::text AS rollups",
    );
    console.error(
      `  COPY ${fmt(copySeconds, 1)} s (${fmt(EVENTS / copySeconds)} rows/s), rollup ${fmt(rollSeconds, 1)} s: ${fmt(Number(sizes!.events))} events -> ${fmt(Number(sizes!.rollups))} daily rows`,
    );

    // The app, with a known session secret so the bench can sign the admin's session cookie.
    const secret = randomBytes(32).toString("hex");
    process.env.NEXTAUTH_SECRET = secret;
    const port = await freePort();
    const app = await startApp(database.url, port);
    // A session as sign-in makes it (lib/auth/options.ts): a row, named by the signed cookie.
    const sid = await startSession(db, members[0]!, 3_600);
    const cookie = `next-auth.session-token=${await encode({ token: { sub: members[0]!, sid }, secret })}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

    function get(path: string, headers: Record<string, string>): Promise<{ ms: number; body: string }> {
      const start = performance.now();
      return new Promise((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path, agent, headers }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => (body += d));
            res.on("end", () =>
              res.statusCode === 200
                ? resolve({ ms: performance.now() - start, body })
                : reject(new Error(`${path}: ${res.statusCode} ${body.slice(0, 300)}`)),
            );
          })
          .on("error", reject);
      });
    }

    const stats = (ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
    };

    // 1. The breakdown API, every groupBy, one request at a time.
    const apiPath = (g: string) =>
      `/api/billing/usage?billTo=${org.name}&groupBy=${g}&from=${range.from}&to=${range.to}`;
    const auth = { authorization: `Bearer ${token}` };
    for (const g of GROUP_BYS) for (let i = 0; i < 5; i++) await get(apiPath(g), auth); // warm up
    const apiMs: number[] = [];
    const apiMsBy: Record<string, number[]> = Object.fromEntries(GROUP_BYS.map((g) => [g, []]));
    const apiTotals = new Map<string, string>();
    for (let i = 0; i < API_SAMPLES; i++)
      for (const g of GROUP_BYS) {
        const { ms, body } = await get(apiPath(g), auth);
        apiMs.push(ms);
        apiMsBy[g]!.push(ms);
        apiTotals.set(
          g,
          (JSON.parse(body) as { total: { routed: { costNano: string } } }).total.routed.costNano,
        );
      }

    // 2. The org's usage page (all of it: session, membership, the four breakdowns, glance, controls).
    const pagePath = `/organizations/${org.name}/settings/inference-providers`;
    // The page itself, signed in, not a sign-in page or an error served with 200.
    if (!(await get(pagePath, { cookie })).body.includes("Bench Org · Inference providers"))
      throw new Error(`${pagePath} did not render the org's usage page`);
    for (let i = 0; i < 3; i++) await get(pagePath, { cookie });
    const pageMs: number[] = [];
    for (let i = 0; i < PAGE_SAMPLES; i++) pageMs.push((await get(pagePath, { cookie })).ms);
    await app.stop();

    // 3. The naive way: the same breakdowns straight from the raw events.
    const naiveColumn = {
      model: "model_id",
      provider: "provider_id",
      member: "user_id",
      day: "(occurred_at AT TIME ZONE 'UTC')::date",
    };
    const naiveMs: Record<string, number[]> = {};
    let naiveRouted = "";
    for (const g of GROUP_BYS) {
      naiveMs[g] = [];
      for (let i = 0; i < NAIVE_SAMPLES; i++) {
        const start = performance.now();
        const { rows } = await pool.query<{ routed: string }>(
          `SELECT ${naiveColumn[g]} AS key, mode, count(*) AS requests, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens, sum(compute_ms) AS compute_ms, sum(cost_nano)::text AS routed,
              sum(credits_nano) AS credits, sum(payg_nano) AS payg
       FROM usage_events WHERE account_id = $1 AND occurred_at >= $2 AND occurred_at < $3
       GROUP BY 1, 2`,
          [accountId, `${range.from}T00:00:00Z`, `${range.to}T00:00:00Z`],
        );
        naiveMs[g]!.push(performance.now() - start);
        if (g === "model")
          naiveRouted = rows
            .filter((r) => (r as unknown as { mode: string }).mode === "routed")
            .reduce((s, r) => s + BigInt(r.routed), 0n)
            .toString();
      }
    }
    const naiveAll = Object.values(naiveMs).flat();
    // A page built on raw events runs the four breakdowns; its floor is their sum (median of each).
    const naivePageFloor = GROUP_BYS.reduce((s, g) => s + stats(naiveMs[g]!).p50, 0);

    const api = stats(apiMs);
    const page = stats(pageMs);
    const naive = stats(naiveAll);
    const agrees = [...apiTotals.values()].every((v) => v === naiveRouted);

    console.log(
      `bench:dashboard  ${fmt(EVENTS)} events of one org, ${MEMBERS} members, ${range.from} to ${range.to} (${fmt(Number(sizes!.rollups))} daily rollup rows)`,
    );
    console.log(
      `  breakdown API (rollups)     p50 ${fmt(api.p50, 1)} ms   p95 ${fmt(api.p95, 1)} ms   (${api.n} requests, groupBy model|provider|member|day)   target p95 <= 100 ms: ${api.p95 <= 100 ? "met" : "NOT met"}`,
    );
    console.log(
      `    by groupBy (p50 / p95 ms): ${GROUP_BYS.map((g) => `${g} ${fmt(stats(apiMsBy[g]!).p50, 1)} / ${fmt(stats(apiMsBy[g]!).p95, 1)}`).join(", ")}`,
    );
    console.log(
      `  naive GROUP BY raw events   p50 ${fmt(naive.p50, 1)} ms   p95 ${fmt(naive.p95, 1)} ms   (${naive.n} queries, SQL only, no HTTP)   -> API is ${fmt(naive.p50 / api.p50, 0)}x faster at p50`,
    );
    console.log(
      `  org usage page (server)     p50 ${fmt(page.p50, 1)} ms   p95 ${fmt(page.p95, 1)} ms   (${page.n} full HTML responses)   target <= 300 ms: ${page.p95 <= 300 ? "met" : "NOT met"}`,
    );
    console.log(
      `  naive page floor            ${fmt(naivePageFloor, 1)} ms   (its four breakdowns as raw GROUP BYs, medians summed)   -> page is ${fmt(naivePageFloor / page.p50, 0)}x faster`,
    );
    console.log(`  money agrees (API totals = raw events, every groupBy): ${agrees ? "yes" : "NO"}`);
    console.log(
      JSON.stringify({
        bench: "dashboard",
        events: EVENTS,
        rollupRows: Number(sizes!.rollups),
        apiP50Ms: Number(api.p50.toFixed(1)),
        apiP95Ms: Number(api.p95.toFixed(1)),
        pageP50Ms: Number(page.p50.toFixed(1)),
        pageP95Ms: Number(page.p95.toFixed(1)),
        naiveP50Ms: Number(naive.p50.toFixed(1)),
        naiveP95Ms: Number(naive.p95.toFixed(1)),
        naivePageFloorMs: Number(naivePageFloor.toFixed(1)),
        moneyAgrees: agrees,
      }),
    );

    await pool.end();
    await db.$disconnect();
    return agrees;
  },
  { boundSeconds: 30 * 60 },
);
