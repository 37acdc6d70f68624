import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { nanoToUsd } from "@/lib/money/format";
import {
  callers,
  expectMoneyAgrees,
  ownDatabase,
  sidePort,
  startApp,
  startSlowUpstream,
  waitFor,
  type AppProcess,
} from "./fault-harness";

// An app instance of our own, SIGKILLed while dozens of router calls are in flight (held, waiting
// for a slow provider, or settling), then restarted. The holds the dead process left behind
// expire and are swept by the restarted app; every call that was answered is billed exactly
// once at what its answer said; a call cut off with the process is billed at most once; and the
// month's counters, rollups and raw events agree to the nano-dollar.
const PORT = sidePort(23);
const CONCURRENCY = 24;
const MODEL = "meta-llama/Llama-3.3-70B-Instruct:together";

test("the app killed mid-settlement: its holds are swept, no charge lost or doubled", async () => {
  test.setTimeout(180_000);
  const db = await ownDatabase();
  const upstream = await startSlowUpstream(150);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-app-"));
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    ROUTER_UPSTREAMS: JSON.stringify({
      together: { apiKey: "fault-platform-key", baseUrl: upstream.baseUrl },
    }),
    ROUTER_UPSTREAM_TIMEOUT_MS: "2000",
    ROUTER_HOLD_TTL_MS: "3000",
  };
  let app: AppProcess | undefined;
  try {
    const { users } = await callers(db.url, "appkill", 4);
    const accounts = users.map((u) => u.accountId);
    app = await startApp(PORT, env);

    const answered = new Map<string, string>(); // request id -> billed_usd of its answer
    const refused: unknown[] = [];
    let cutOff = 0;
    let killed = false;
    const call = async (token: string) => {
      const res = await fetch(`http://127.0.0.1:${PORT}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 64 }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json()) as { usage?: { cost: { billed_usd: string } } };
      if (res.status === 200) answered.set(res.headers.get("x-request-id")!, body.usage!.cost.billed_usd);
      else refused.push({ status: res.status, body });
    };
    const caller = async (token: string) => {
      while (!killed) {
        try {
          await call(token);
        } catch {
          cutOff += 1; // the connection died with the process
          return;
        }
      }
    };
    const traffic = Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => caller(users[i % users.length]!.token)),
    );
    await waitFor("calls to be answered", async () => answered.size >= 100 || refused.length > 0);
    await app.kill("SIGKILL");
    killed = true;
    await traffic;
    expect(refused).toEqual([]);

    // The dead process left holds behind: calls were in flight when it died.
    const left = await db.pool.query<{ n: string; reserved: string }>(
      `SELECT (SELECT count(*) FROM reservations)::text AS n,
              (SELECT coalesce(sum(reserved_nano), 0) FROM account_periods)::text AS reserved`,
    );
    expect(Number(left.rows[0]!.n)).toBeGreaterThan(0);
    expect(BigInt(left.rows[0]!.reserved)).toBeGreaterThan(0n);

    // Once they expire, the restarted app sweeps them (its billing jobs run at start).
    await waitFor("the holds to expire", async () => {
      const { rows } = await db.pool.query(`SELECT 1 FROM reservations WHERE expires_at >= now()`);
      return rows.length === 0;
    });
    app = await startApp(PORT, env);
    await waitFor("the restarted app to sweep the holds", async () => {
      const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM reservations`);
      return rows[0]!.n === "0";
    });
    // And it serves: a few calls after the restart are answered and billed too.
    await Promise.all(users.map((u) => call(u.token)));
    expect(refused).toEqual([]);

    // Every answered call billed once, at its answer's amount; a call cut off billed at most once
    // (its settlement may have committed just before the process died), and never twice (ids are keys).
    const billed = await db.pool.query<{ id: string; nano: string }>(
      `SELECT id, (credits_nano + payg_nano)::text AS nano FROM usage_events WHERE account_id = ANY($1::uuid[])`,
      [accounts],
    );
    const byId = new Map(billed.rows.map((r) => [r.id, nanoToUsd(BigInt(r.nano))]));
    for (const [id, usd] of answered) expect(byId.get(id), `call ${id}`).toBe(usd);
    const unanswered = billed.rows.filter((r) => !answered.has(r.id));
    expect(unanswered.length).toBeLessThanOrEqual(cutOff);

    await expectMoneyAgrees(db);
  } finally {
    await app?.kill();
    if (app) await test.info().attach("app output", { body: app.output() });
    upstream.stop();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
