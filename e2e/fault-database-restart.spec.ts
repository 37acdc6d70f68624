import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { nanoToUsd } from "@/lib/money/format";
import {
  callers,
  expectMoneyAgrees,
  ownDatabase,
  runJobsNow,
  sidePort,
  startApp,
  waitFor,
  type AppProcess,
  type OwnDatabase,
} from "./fault-harness";

// The app's PostgreSQL shut down (fast shutdown) and started again in the middle of mixed traffic
// (router calls, ingestion batches, usage reads) on an app instance of our own. Every request
// either succeeds or fails cleanly (503, Retry-After, the JSON error), the app recovers by itself,
// and nothing is half-written: each answered router call is billed once at what it said, each
// failed one not at all, each ingested event once, however often its batch was retried.
const PORT = sidePort(22);
const HOLD_TTL_MS = 3_000;
const BATCH = 20;

type Kind = "router" | "ingest" | "read";
interface Outcome {
  kind: Kind;
  status: number | "timeout" | "network";
  retryAfter: string | null;
  body: unknown;
  requestId: string | null;
}

test("the database restarts mid-traffic: clean 503s with a retry hint, self-recovery, nothing half-written", async () => {
  test.setTimeout(180_000);
  const db: OwnDatabase = await ownDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-app-"));
  let app: AppProcess | undefined;
  try {
    const { users, serviceToken } = await callers(db.url, "dbrestart", 5);
    const [routerUsers, ingestUsers] = [users.slice(0, 3), users.slice(3)];
    app = await startApp(PORT, {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      ROUTER_UPSTREAM_TIMEOUT_MS: "2000",
      ROUTER_HOLD_TTL_MS: String(HOLD_TTL_MS),
    });

    const outcomes: Outcome[] = [];
    const count = (kind: Kind, status: number, since = 0) =>
      outcomes.slice(since).filter((o) => o.kind === kind && o.status === status).length;
    const send = async (kind: Kind, route: string, token: string, body?: unknown): Promise<Outcome> => {
      let outcome: Outcome;
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}${route}`, {
          method: body ? "POST" : "GET",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(15_000),
        });
        outcome = {
          kind,
          status: res.status,
          retryAfter: res.headers.get("retry-after"),
          body: await res.json().catch(() => null),
          requestId: res.headers.get("x-request-id"),
        };
      } catch (e) {
        const status = (e as Error).name === "TimeoutError" ? "timeout" : "network";
        outcome = { kind, status, retryAfter: null, body: String(e), requestId: null };
      }
      outcomes.push(outcome);
      return outcome;
    };
    // After a refusal, a client waits a little; these wait less than Retry-After asks, to press harder.
    const pause = (o: Outcome) => new Promise((r) => setTimeout(r, o.status === 200 ? 0 : 100));

    // Clean failures only: a 503 with Retry-After and the JSON error, never a 500, a hang or a cut
    // connection. Checked at every poll too, so an unclean answer fails the test at once.
    const expectClean = () => {
      const unclean = outcomes.filter(
        (o) =>
          !(o.status === 200 || o.status === 503) ||
          (o.status === 503 &&
            !(
              /^[1-9]\d*$/.test(o.retryAfter ?? "") &&
              (o.body as { error?: { code?: string } } | null)?.error?.code === "service_unavailable"
            )),
      );
      expect(unclean, app!.output()).toEqual([]);
      return true;
    };

    let done = false;
    const router = async (token: string) => {
      while (!done) {
        const o = await send("router", "/v1/chat/completions", token, {
          model: "meta-llama/Llama-3.3-70B-Instruct",
          messages: [{ role: "user", content: `Count to ${outcomes.length % 50}.` }],
          max_tokens: 32,
        });
        await pause(o);
      }
    };
    const read = async (token: string) => {
      while (!done) await pause(await send("read", "/api/billing/usage?groupBy=model", token));
    };
    // Ingestion: each batch is sent until acknowledged, honouring Retry-After, as a sender would.
    let acknowledged = 0;
    const ingest = async () => {
      for (let b = 0; !done; b++) {
        const events = Array.from({ length: BATCH }, (_, i) => ({
          id: `dbrestart-${b}-${i}`,
          userId: ingestUsers[i % ingestUsers.length]!.id,
          provider: "together",
          model: "meta-llama/Llama-3.3-70B-Instruct",
          mode: "routed",
          inputTokens: 100 + b,
          outputTokens: 10 + i,
          occurredAt: new Date().toISOString(),
        }));
        for (let attempt = 1; ; attempt++) {
          const o = await send("ingest", "/api/usage/events", serviceToken, { events });
          if (o.status === 200) break;
          if (o.status !== 503 || attempt === 20) return; // unclean, or never recovered: reported below
          await new Promise((r) => setTimeout(r, Number(o.retryAfter) * 1_000));
        }
        acknowledged += 1;
      }
    };
    const traffic = Promise.all([
      ...routerUsers.map((u) => router(u.token)),
      ...routerUsers.map((u) => router(u.token)),
      read(ingestUsers[0]!.token),
      ingest(),
    ]);

    try {
      await waitFor(
        "traffic to flow",
        async () => expectClean() && count("router", 200) >= 20 && acknowledged >= 3,
      );
      await db.stop();
      const down = outcomes.length;
      await waitFor(
        "every kind of request to meet the outage",
        async () =>
          expectClean() && (["router", "ingest", "read"] as const).every((k) => count(k, 503, down) > 0),
      );
      await db.start();
      const up = outcomes.length;
      await waitFor(
        "the app to recover by itself",
        async () =>
          expectClean() && (["router", "ingest", "read"] as const).every((k) => count(k, 200, up) > 0),
      );
      await waitFor(
        "more traffic after recovery",
        async () => expectClean() && count("router", 200, up) >= 20,
      );
    } finally {
      done = true;
      await traffic;
    }

    expectClean();

    // Router: billed exactly the calls that were answered 200, each at the cost the answer stated.
    const answered = new Map(
      outcomes
        .filter((o) => o.kind === "router" && o.status === 200)
        .map((o) => {
          const cost = (o.body as { usage: { cost: { billed_usd: string } } }).usage.cost;
          return [o.requestId!, cost.billed_usd] as const;
        }),
    );
    const billed = await db.pool.query<{ id: string; nano: string }>(
      `SELECT id, (credits_nano + payg_nano)::text AS nano FROM usage_events WHERE account_id = ANY($1::uuid[])`,
      [routerUsers.map((u) => u.accountId)],
    );
    expect(answered.size).toBe(count("router", 200));
    expect(new Map(billed.rows.map((r) => [r.id, nanoToUsd(BigInt(r.nano))]))).toEqual(answered);

    // Ingestion: every acknowledged batch counted once, however many times it was sent.
    const ingested = await db.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM usage_events WHERE id LIKE 'dbrestart-%'`,
    );
    expect(Number(ingested.rows[0]!.n)).toBe(acknowledged * BATCH);
    expect(count("ingest", 200)).toBe(acknowledged);

    // Holds of calls cut off by the outage expire and are swept (the minute job, run now).
    await waitFor("the holds to expire", async () => {
      const { rows } = await db.pool.query(`SELECT 1 FROM reservations WHERE expires_at >= now()`);
      return rows.length === 0;
    });
    expect(await runJobsNow(db.url)).toMatchObject({ skipped: false });
    await expectMoneyAgrees(db);
  } finally {
    await app?.kill();
    if (app) await test.info().attach("app output", { body: app.output() });
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
