// `npm run bench:authorize`: latency of the request path's billing (authorize with its hold,
// then settle) at a fixed request rate, against a bare HTTP handler that runs one query, both
// measured in the same run on the same server. Targets: p99 <= 3x the bare one and <= 10 ms.
import http from "node:http";
import { freePort } from "@/lib/db/embedded";
import pg from "pg";
import { createPrismaClient } from "@/lib/db/prisma";
import { createOrg } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { addMember } from "@/lib/accounts/orgs";
import { benchDatabase, fmt, percentile, spawnReady } from "./harness";
import { benchSize, runToEnd } from "./lifecycle";

const RATE = benchSize("BENCH_RATE", 50, 20); // requests per second, open loop
const SECONDS = benchSize("BENCH_SECONDS", 20, 2);

await runToEnd(
  async () => {
    const database = await benchDatabase();
    const db = createPrismaClient(database.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });

    const org = await createOrg(db, { name: "bench-org", plan: "enterprise", seats: 50 });
    const members: string[] = [];
    for (let i = 0; i < 10; i++) {
      const user = await createUser(db, { email: `bench${i}@example.com`, plan: "free" });
      await addMember(db, { orgName: org.name, email: user.email, role: "write" });
      members.push(user.id);
    }
    await db.billingAccount.update({
      where: { id: org.billingAccount!.id },
      data: { spendingLimitCents: 2_000_000_000 },
    });

    // The server runs in its own process, so the load generator never shares its event loop.
    const port = await freePort();
    await spawnReady(
      ["--import", "tsx", "scripts/bench/authorize-server.ts"],
      { DATABASE_URL: database.url, PORT: String(port), BENCH_ORG: org.name },
      "ready",
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

    function call(path: string): Promise<number> {
      const start = performance.now();
      return new Promise((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path, agent }, (res) => {
            res.resume();
            res.on("end", () =>
              res.statusCode === 200
                ? resolve(performance.now() - start)
                : reject(new Error(`${path}: ${res.statusCode}`)),
            );
          })
          .on("error", reject);
      });
    }

    /** Open loop: a request every 1/RATE s whatever the answers do, so slow answers cannot hide. */
    async function measure(path: string) {
      for (let i = 0; i < 50; i++) await call(path); // warm up
      const latencies: Promise<number>[] = [];
      const total = RATE * SECONDS;
      const start = performance.now();
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1_000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        latencies.push(call(path));
      }
      const sorted = (await Promise.all(latencies)).sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
    }

    const bare = await measure("/bare");
    const authorize = await measure("/authorize");
    const [check] = (
      await pool.query<{ events: string; counters: string; holds: string }>(`
  SELECT (SELECT count(*) FROM usage_events)::text AS events,
         (SELECT sum(credits_used_nano + payg_nano) - (SELECT sum(cost_nano) FROM usage_events) FROM account_periods)::text AS counters,
         (SELECT count(*) FROM reservations)::text AS holds`)
    ).rows;

    console.log(`bench:authorize  ${RATE} requests/s for ${SECONDS} s each, open loop`);
    console.log(`  bare one-query handler   p50 ${fmt(bare.p50, 2)} ms   p99 ${fmt(bare.p99, 2)} ms`);
    console.log(
      `  authorize + settle       p50 ${fmt(authorize.p50, 2)} ms   p99 ${fmt(authorize.p99, 2)} ms`,
    );
    console.log(
      `  p99 ratio ${fmt(authorize.p99 / bare.p99, 2)}x the bare handler   (targets: <= 3x and <= 10 ms)`,
    );
    console.log(
      `  settled ${check!.events} requests; counters minus events: ${check!.counters} nano; holds left: ${check!.holds}`,
    );
    console.log(
      JSON.stringify({
        bench: "authorize",
        rate: RATE,
        bareP50Ms: Number(bare.p50.toFixed(2)),
        bareP99Ms: Number(bare.p99.toFixed(2)),
        authorizeP50Ms: Number(authorize.p50.toFixed(2)),
        authorizeP99Ms: Number(authorize.p99.toFixed(2)),
        p99Ratio: Number((authorize.p99 / bare.p99).toFixed(2)),
      }),
    );

    agent.destroy();
    await pool.end();
    await db.$disconnect();
    return check!.counters === "0" && check!.holds === "0";
  },
  { boundSeconds: 15 * 60 },
);
