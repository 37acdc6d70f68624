// `npm run bench:router`: what the router adds over calling a provider directly, side by side
// with the open-source Portkey gateway forwarding to the same local provider, in one run. Each
// target gets the same closed-loop load (keep-alive connections, each sending its next request
// when the last is answered). The router also
// authenticates, holds, settles and records every request; the run ends by checking that
// every answered request is billed exactly once. Target: less overhead than Portkey.
import path from "node:path";
import http from "node:http";
import pg from "pg";
import { freePort } from "@/lib/db/embedded";
import { createPrismaClient } from "@/lib/db/prisma";
import { createUser } from "@/lib/accounts/users";
import { createApiToken } from "@/lib/auth/tokens";
import { benchDatabase, fmt, median, percentile, spawnReady, startApp, treeCpuMs } from "./harness";
import { benchSize, runToEnd } from "./lifecycle";

const SECONDS = benchSize("BENCH_SECONDS", 5, 1);
const ROUNDS = benchSize("BENCH_ROUNDS", 3, 1);
const CONNECTIONS = benchSize("BENCH_CONNECTIONS", 8, 2);
const ACCOUNTS = benchSize("BENCH_ACCOUNTS", 64, 4);
const WARMUP_SECONDS = benchSize("BENCH_WARMUP_SECONDS", 2, 1);
const MODEL = "meta-llama/Llama-3.3-70B-Instruct";
const PLATFORM_KEY = "platform-bench-key";

await runToEnd(
  async () => {
    const database = await benchDatabase();
    const db = createPrismaClient(database.url);
    // PRO users whose requests are spread round robin: many accounts, as real traffic is. With
    // BENCH_ACCOUNTS=1 every request bills one account, and its month row becomes the bottleneck.
    const tokens: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const user = await createUser(db, { email: `bench-router-${i}@example.com`, plan: "pro" });
      tokens.push((await createApiToken(db, { userId: user.id, name: "bench" })).token);
    }

    const upstreamPort = await freePort();
    await spawnReady(
      ["--import", "tsx", "scripts/bench/fake-upstream.ts"],
      { PORT: String(upstreamPort) },
      "ready",
    );
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}/v1`;

    const portkeyPort = await freePort();
    const portkey = await spawnReady(
      [
        path.resolve("node_modules/@portkey-ai/gateway/build/start-server.js"),
        `--port=${portkeyPort}`,
        "--headless",
      ],
      {},
      "Ready for connections",
    );

    const appPort = await freePort();
    process.env.ROUTER_UPSTREAMS = JSON.stringify({
      together: { apiKey: PLATFORM_KEY, baseUrl: upstreamUrl },
    });
    const app = await startApp(database.url, appPort);

    const body = JSON.stringify({
      model: `${MODEL}:together`,
      messages: [{ role: "user", content: "Say hello in five words." }],
      max_tokens: 64,
    });
    const targets = {
      direct: {
        url: `${upstreamUrl}/chat/completions`,
        headers: { authorization: `Bearer ${PLATFORM_KEY}` },
      },
      portkey: {
        url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`,
        headers: {
          authorization: `Bearer ${PLATFORM_KEY}`,
          "x-portkey-provider": "openai",
          "x-portkey-custom-host": upstreamUrl,
        },
      },
      router: {
        url: `http://127.0.0.1:${appPort}/v1/chat/completions`,
        headers: (n: number) => ({ authorization: `Bearer ${tokens[n % tokens.length]}` }),
      },
    };

    /**
     * Closed loop: CONNECTIONS clients on keep-alive sockets, each sending its next request when
     * the last one is answered, for `seconds`. Every request ends before this returns, so the
     * router's answers can be matched one for one with what it billed.
     */
    async function load(target: (typeof targets)[keyof typeof targets], seconds: number) {
      const url = new URL(target.url);
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
      const headersOf = (n: number) => ({
        "content-type": "application/json",
        ...(typeof target.headers === "function" ? target.headers(n) : target.headers),
      });
      let sent = 0;
      const latencies: number[] = [];
      let errors = 0;
      const send = () =>
        new Promise<boolean>((resolve) => {
          const req = http.request(
            {
              host: url.hostname,
              port: url.port,
              path: url.pathname,
              method: "POST",
              headers: headersOf(sent++),
              agent,
            },
            (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode === 200));
            },
          );
          req.on("error", () => resolve(false));
          req.end(body);
        });
      const deadline = performance.now() + seconds * 1_000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < deadline) {
            const start = performance.now();
            if (await send()) latencies.push(performance.now() - start);
            else errors++;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1_000;
      agent.destroy();
      latencies.sort((a, b) => a - b);
      return {
        rps: latencies.length / elapsed,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        ok: latencies.length,
        errors,
      };
    }

    type Result = Awaited<ReturnType<typeof load>>;
    /** CPU per answered request, ms, of the processes that serve each target (the upstream's aside). */
    const servers: Record<string, { app: number | null; database: number | null }> = {
      direct: { app: null, database: null },
      portkey: { app: portkey.pid!, database: null },
      router: { app: app.pid, database: database.pid() },
    };
    const cpuOf = (pid: number | null) => (pid === null ? 0 : treeCpuMs(pid));
    for (const target of Object.values(targets)) await load(target, WARMUP_SECONDS); // warm up: JIT, pools, caches
    const before = await db.usageEvent.count();
    // The targets take turns, round after round, so a change in the machine's load touches each alike.
    const rounds: Record<string, Result & { cpu: number; databaseCpu: number }>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round: (typeof rounds)[number] = {};
      for (const [name, target] of Object.entries(targets)) {
        const { app: appPid, database: dbPid } = servers[name]!;
        const [app0, db0] = [cpuOf(appPid), cpuOf(dbPid)];
        const result = await load(target, SECONDS);
        const n = result.ok || 1;
        round[name] = { ...result, cpu: (cpuOf(appPid) - app0) / n, databaseCpu: (cpuOf(dbPid) - db0) / n };
      }
      rounds.push(round);
    }
    /** Each target's figures: the median over rounds. */
    const results = Object.fromEntries(
      Object.keys(targets).map((name) => {
        const of = (f: (r: (typeof rounds)[number][string], round: (typeof rounds)[number]) => number) =>
          median(rounds.map((round) => f(round[name]!, round)));
        return [
          name,
          {
            rps: of((r) => r.rps),
            p50: of((r) => r.p50),
            p99: of((r) => r.p99),
            overheadP50: of((r, round) => r.p50 - round.direct!.p50),
            errors: rounds.reduce((sum, round) => sum + round[name]!.errors, 0),
            ok: rounds.reduce((sum, round) => sum + round[name]!.ok, 0),
            cpu: of((r) => r.cpu),
            databaseCpu: of((r) => r.databaseCpu),
          },
        ];
      }),
    );
    /** Router overhead over Portkey's (p50), round by round: the target is below 1. */
    const ratios = rounds.map((r) => (r.router!.p50 - r.direct!.p50) / (r.portkey!.p50 - r.direct!.p50));

    // Every request the router answered is billed exactly once, and the ledger agrees with itself.
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const {
      rows: [check],
    } = await pool.query<{ events: string; drift: string; holds: string }>(`
  SELECT (SELECT count(*) FROM usage_events)::text AS events,
         ((SELECT sum(credits_used_nano + payg_nano) FROM account_periods) - (SELECT sum(credits_nano + payg_nano) FROM usage_events))::text AS drift,
         (SELECT count(*) FROM reservations)::text AS holds`);
    const billed = Number(check!.events) - before;

    const round2 = (ms: number) => Math.round(ms * 100) / 100;
    const line = (name: string) => {
      const r = results[name]!;
      const over =
        name === "direct"
          ? ""
          : `   overhead p50 ${fmt(r.overheadP50, 2)} ms   CPU/request ${fmt(r.cpu, 2)} ms${name === "router" ? ` + PostgreSQL ${fmt(r.databaseCpu, 2)} ms` : ""}`;
      return `  ${name.padEnd(8)} ${fmt(r.rps).padStart(7)} req/s   p50 ${fmt(r.p50, 2)} ms   p99 ${fmt(r.p99, 2)} ms   errors ${r.errors}${over}`;
    };
    console.log(
      `bench:router  ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per target taking turns, ${ACCOUNTS} accounts billed round robin, the same local upstream behind each (medians over rounds)`,
    );
    for (const name of Object.keys(targets)) console.log(line(name));
    console.log(
      `  router overhead / Portkey overhead (p50): ${fmt(median(ratios), 2)}x median; rounds ${ratios.map((x) => fmt(x, 2)).join(" / ")}   (target: < 1, while billing)`,
    );
    console.log(
      `  billed ${billed} of ${results.router!.ok} router answers; counters minus events: ${check!.drift} nano; holds left: ${check!.holds}`,
    );
    console.log(
      JSON.stringify({
        bench: "router",
        connections: CONNECTIONS,
        accounts: ACCOUNTS,
        rounds: ROUNDS,
        ratio: round2(median(ratios)),
        ratios: ratios.map(round2),
        ...Object.fromEntries(
          Object.entries(results).map(([k, r]) => [
            k,
            {
              rps: Math.round(r.rps),
              p50Ms: round2(r.p50),
              p99Ms: round2(r.p99),
              overheadP50Ms: round2(r.overheadP50),
              errors: r.errors,
              cpuMsPerRequest: round2(r.cpu),
              databaseCpuMsPerRequest: round2(r.databaseCpu),
            },
          ]),
        ),
      }),
    );

    await pool.end();
    await db.$disconnect();
    const exact = billed === results.router!.ok && check!.drift === "0" && check!.holds === "0";
    return exact;
  },
  { boundSeconds: 15 * 60 },
);
