import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { startOrAttachEmbedded } from "@/lib/db/embedded";
import { adminCli } from "./fixtures";
import { sidePort, startApp } from "./fault-harness";

// A second app instance of our own (the build the other specs use), killed with SIGKILL in the
// middle of ingesting 100,000 events, restarted; the client retries every batch.
const DATA_DIR = ".data-e2e-crash";
const PORT = sidePort(21);
const BATCHES = 100;
const BATCH = 1_000;

const startCrashApp = () => startApp(PORT, { DATA_DIR });
const admin = (...args: string[]) => adminCli(DATA_DIR, ...args);

test("SIGKILL mid-ingestion, restart, client retries: every event counts exactly once", async () => {
  test.setTimeout(10 * 60_000);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  let app = await startCrashApp();
  const database = await startOrAttachEmbedded(path.resolve(DATA_DIR)); // attaches to the app's server
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const { token } = (await admin("create-service-token", "--name", "crash-test")) as { token: string };
    const users = (
      await db.query<{ id: string }>(
        "SELECT id FROM users WHERE email IN ('pro@example.com', 'enterprise-admin@example.com')",
      )
    ).rows;
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      JSON.stringify({
        events: Array.from({ length: BATCH }, (_, i) => ({
          id: `crash-${b}-${i}`,
          userId: users[i % users.length]!.id,
          provider: "together",
          model: "meta-llama/Llama-3.3-70B-Instruct",
          mode: "routed",
          inputTokens: 100 + ((b * BATCH + i) % 900),
          outputTokens: 10 + (i % 90),
          occurredAt: new Date(Date.now() - ((b * BATCH + i) % 86_400) * 1_000).toISOString(),
        })),
      }),
    );
    const send = (body: string) =>
      fetch(`http://127.0.0.1:${PORT}/api/usage/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });

    // First pass: killed without warning partway through.
    let acknowledged = 0;
    for (const body of batches) {
      if (acknowledged === 30) {
        void send(body).catch(() => undefined); // in flight when the process dies
        await new Promise((r) => setTimeout(r, 20));
        await app.kill("SIGKILL");
        break;
      }
      expect((await send(body)).status).toBe(200);
      acknowledged += 1;
    }

    // Restarted; the client knows only that it was cut off, so it sends everything again.
    app = await startCrashApp();
    for (const body of batches) {
      const res = await send(body);
      expect(res.status).toBe(200);
    }

    const { rows } = await db.query<{ n: string; events: string; rollup: string; counters: string }>(`
      SELECT (SELECT count(*) FROM usage_events WHERE id LIKE 'crash-%')::text AS n,
             (SELECT sum(credits_nano + payg_nano) FROM usage_events)::text AS events,
             (SELECT sum(credits_nano + payg_nano) FROM usage_daily)::text AS rollup,
             (SELECT sum(credits_used_nano + payg_nano) FROM account_periods)::text AS counters`);
    expect(rows[0]!.n).toBe(String(BATCHES * BATCH));
    expect(rows[0]!.rollup).toBe(rows[0]!.events);
    expect(rows[0]!.counters).toBe(rows[0]!.events);
  } finally {
    await db.end();
    await app.kill();
    // The server the killed process had started outlived it; stop it by its postmaster.pid.
    const pidFile = path.join(DATA_DIR, "postgres", "postmaster.pid");
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), "SIGINT");
      } catch {
        // already stopped
      }
    }
  }
});
