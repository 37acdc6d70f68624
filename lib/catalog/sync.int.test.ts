import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { loadCatalog } from "./load";
import { syncCatalog } from "./sync";

const url = process.env.DATABASE_URL!;
const db = testDb();
afterAll(() => db.$disconnect());

describe("syncing the catalog while requests are being settled", () => {
  it("never waits for the row locks a settlement's foreign-key checks hold", async () => {
    const catalog = loadCatalog();
    const holder = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url });
    await Promise.all([holder.connect(), watcher.connect()]);
    try {
      // What storing a usage event does to the catalog rows it names: KEY SHARE, until commit.
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM providers WHERE id = ANY($1) FOR KEY SHARE", [
        catalog.providers.map((p) => p.id),
      ]);
      await holder.query("SELECT 1 FROM models WHERE id = ANY($1) FOR KEY SHARE", [
        catalog.models.map((m) => m.id),
      ]);
      const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;

      let finished = false;
      const syncing = syncCatalog(db, catalog).finally(() => (finished = true));
      let blocked = false;
      while (!finished && !blocked) {
        const { rows } = await watcher.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
          [holderPid],
        );
        blocked = rows[0]!.n > 0;
      }
      await holder.query("ROLLBACK");
      await syncing;
      expect(blocked).toBe(false);
    } finally {
      await Promise.all([holder.end(), watcher.end()]);
    }
  });
});
