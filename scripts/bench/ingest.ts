// `npm run bench:ingest`: usage events/s through POST /api/usage/events on the real app, against
// a raw COPY of the same rows into the same table, measured in the same run: BENCH_ROUNDS rounds
// (5 by default), each sending BENCH_EVENTS through the API and then COPYing as many rows; the
// ratio is the median of the rounds' ratios (one COPY on this shared machine varies from 18k to
// 39k rows/s, with the machine's load). It also prints each side's CPU per event.
// Targets: at least 10,000 events/s and 0.5 of COPY. Afterwards it checks events, rollups and
// counters agree exactly.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createServiceToken } from "@/lib/auth/tokens";
import { freePort } from "@/lib/db/embedded";
import { createPrismaClient } from "@/lib/db/prisma";
import { ensureUsagePartitions } from "@/lib/db/usage-partitions";
import { benchDatabase, fmt, median, startApp, treeCpuMs } from "./harness";
import { benchSize, runToEnd } from "./lifecycle";

const TOTAL = benchSize("BENCH_EVENTS", 100_000, 2_000);
const BATCH = 1_000;
const CONCURRENCY = benchSize("BENCH_CONCURRENCY", 4, 2);
const ROUNDS = benchSize("BENCH_ROUNDS", 5, 1);
const USERS = 200;
const PROVIDERS = [
  ["together", "meta-llama/Llama-3.3-70B-Instruct"],
  ["groq", "openai/gpt-oss-120b"],
  ["nebius", "meta-llama/Llama-3.1-8B-Instruct"],
  ["hf-inference", "meta-llama/Llama-3.1-8B-Instruct"],
] as const;

await runToEnd(
  async () => {
    const database = await benchDatabase();
    const db = createPrismaClient(database.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });

    // PRO users created in bulk (their billing accounts too).
    const users = (
      await pool.query<{ id: string }>(
        `WITH u AS (
       INSERT INTO users (email, name) SELECT 'bench' || g || '@example.com', 'bench ' || g FROM generate_series(1, $1) g RETURNING id
     ), a AS (INSERT INTO billing_accounts (kind, user_id, plan) SELECT 'user', id, 'pro' FROM u RETURNING user_id)
     SELECT user_id AS id FROM a`,
        [USERS],
      )
    ).rows.map((r) => r.id);
    const { token } = await createServiceToken(db, { name: "bench" });

    const day = Date.UTC(2026, 10, 1);
    // The month's partition exists before either side runs, so neither pays for creating it.
    await ensureUsagePartitions(pool, [new Date(day)]);
    const makeEvent = (i: number) => {
      const [provider, model] = PROVIDERS[i % PROVIDERS.length]!;
      return {
        id: `bench-${randomUUID()}`,
        userId: users[i % USERS]!,
        provider,
        model,
        mode: i % 10 === 0 ? "custom_key" : "routed",
        inputTokens: provider === "hf-inference" ? 0 : 200 + (i % 3_000),
        outputTokens: provider === "hf-inference" ? 0 : 50 + (i % 700),
        computeMs: provider === "hf-inference" ? 500 + (i % 9_000) : 0,
        occurredAt: new Date(day + (i % (20 * 86_400)) * 1_000).toISOString(),
      };
    };
    const batchesOf = (round: number) =>
      Array.from({ length: Math.ceil(TOTAL / BATCH) }, (_, b) =>
        JSON.stringify({
          events: Array.from({ length: BATCH }, (_, i) => makeEvent(round * TOTAL + b * BATCH + i)),
        }),
      );

    const port = await freePort();
    const app = await startApp(database.url, port);
    const url = `http://127.0.0.1:${port}/api/usage/events`;
    const send = async (body: string) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };

    // Warm up (compilation, connections) with a separate set of events.
    for (let w = 0; w < 3; w++)
      await send(
        JSON.stringify({
          events: Array.from({ length: BATCH }, (_, i) => makeEvent(10_000_000 + w * BATCH + i)),
        }),
      );

    /** CPU µs per event or row, by process tree (read from /proc), over what `run` did. */
    async function cpuPerEvent(run: () => Promise<number>) {
      const app0 = treeCpuMs(app.pid);
      const db0 = treeCpuMs(database.pid());
      const rate = await run();
      return {
        rate,
        appMicros: ((treeCpuMs(app.pid) - app0) * 1_000) / TOTAL,
        databaseMicros: ((treeCpuMs(database.pid()) - db0) * 1_000) / TOTAL,
      };
    }

    /** Events/s through the API: CONCURRENCY clients sending the round's batches. */
    async function throughApi(round: number) {
      const batches = batchesOf(round);
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < batches.length) await send(batches[next++]!);
        }),
      );
      return TOTAL / ((performance.now() - start) / 1_000);
    }

    // The baseline: the same number of rows, COPY'd into the same table.
    const accounts = new Map(
      (
        await pool.query<{ user_id: string; id: string }>(
          "SELECT user_id, id FROM billing_accounts WHERE user_id IS NOT NULL",
        )
      ).rows.map((r) => [r.user_id, r.id]),
    );
    /** Rows/s through one COPY of the round's events (as rows already rated), on one connection. */
    async function throughCopy(round: number) {
      const lines = Array.from({ length: TOTAL }, (_, i) => {
        const e = makeEvent(round * TOTAL + i);
        const cost = 1_000 + (i % 50_000);
        return (
          [
            `copy-${randomUUID()}`,
            accounts.get(e.userId),
            e.userId,
            e.provider,
            e.model,
            "routed",
            e.inputTokens,
            e.outputTokens,
            e.computeMs,
            "\\N",
            cost,
            0,
            cost,
            e.occurredAt,
          ].join("\t") + "\n"
        );
      });
      const client = await pool.connect();
      const start = performance.now();
      await pipeline(
        Readable.from(lines),
        client.query(
          copyFrom(
            "COPY usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens, compute_ms, hardware, cost_nano, credits_nano, payg_nano, occurred_at) FROM STDIN",
          ),
        ),
      );
      const rate = TOTAL / ((performance.now() - start) / 1_000);
      client.release();
      return rate;
    }

    // Interleaved, so both sides meet the table at the same sizes and the machine in the same moods.
    const api: Awaited<ReturnType<typeof cpuPerEvent>>[] = [];
    const copy: Awaited<ReturnType<typeof cpuPerEvent>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      api.push(await cpuPerEvent(() => throughApi(round)));
      copy.push(await cpuPerEvent(() => throughCopy(round)));
    }
    await app.stop();
    const apiRates = api.map((r) => r.rate);
    const copyRates = copy.map((r) => r.rate);
    const apiRate = median(apiRates);
    const copyRate = median(copyRates);
    // Each round's API run and COPY run are seconds apart, so they meet the shared machine in the
    // same mood: the ratio is the median of the rounds' ratios, steadier than a ratio of medians.
    const ratios = api.map((r, i) => r.rate / copyRates[i]!);
    const ratio = median(ratios);

    // Money agrees exactly: API events = rollups = month counters (COPY rows are excluded).
    const {
      rows: [check],
    } = await pool.query<{ events: string; rollup: string; counters: string }>(`
  SELECT (SELECT sum(credits_nano + payg_nano) FROM usage_events WHERE id NOT LIKE 'copy-%')::text AS events,
         (SELECT sum(credits_nano + payg_nano) FROM usage_daily)::text AS rollup,
         (SELECT sum(credits_used_nano + payg_nano) FROM account_periods)::text AS counters`);
    const agrees = check!.events === check!.rollup && check!.rollup === check!.counters;

    console.log(
      `bench:ingest  ${ROUNDS} rounds of ${fmt(TOTAL)} events, batches of ${BATCH}, ${CONCURRENCY} concurrent clients, ${USERS} accounts`,
    );
    const each = (rates: number[]) => rates.map((r) => fmt(r)).join(" / ");
    console.log(`  API   ${fmt(apiRate)} events/s (median; rounds: ${each(apiRates)})`);
    console.log(`  COPY  ${fmt(copyRate)} rows/s   (median; rounds: ${each(copyRates)})`);
    console.log(
      `  ratio ${fmt(ratio, 2)} of COPY   (median of the rounds: ${ratios.map((r) => fmt(r, 2)).join(" / ")}; targets: >= 0.5 of COPY, >= 10,000 events/s)`,
    );
    // CPU per event: steadier than a rate on a shared machine, and it says where the time goes.
    const apiApp = median(api.map((r) => r.appMicros));
    const apiDatabase = median(api.map((r) => r.databaseMicros));
    const copyDatabase = median(copy.map((r) => r.databaseMicros));
    console.log(
      `  CPU   API ${fmt(apiApp, 1)} µs app + ${fmt(apiDatabase, 1)} µs PostgreSQL per event; COPY ${fmt(copyDatabase, 1)} µs PostgreSQL per row (medians)`,
    );
    console.log(`  money agrees (events = rollups = counters): ${agrees ? "yes" : "NO"}`);
    console.log(
      JSON.stringify({
        bench: "ingest",
        events: TOTAL,
        rounds: ROUNDS,
        apiEventsPerSecond: Math.round(apiRate),
        copyRowsPerSecond: Math.round(copyRate),
        ratio: Number(ratio.toFixed(3)),
        apiAppMicrosPerEvent: Number(apiApp.toFixed(1)),
        apiDatabaseMicrosPerEvent: Number(apiDatabase.toFixed(1)),
        copyDatabaseMicrosPerRow: Number(copyDatabase.toFixed(1)),
        moneyAgrees: agrees,
      }),
    );

    await pool.end();
    await db.$disconnect();
    return agrees;
  },
  { boundSeconds: 15 * 60 },
);
