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

describe("syncing the catalog", () => {
  it("stores each model's task and the cached input prices the file lists", async () => {
    const catalog = loadCatalog();
    await syncCatalog(db, catalog);
    const flux = await db.model.findUniqueOrThrow({ where: { id: "black-forest-labs/FLUX.1-dev" } });
    expect(flux.task).toBe("text-to-image");
    const [price] = await db.price.findMany({
      where: { providerId: "novita", modelId: "deepseek-ai/DeepSeek-V3-0324" },
    });
    expect(price).toMatchObject({
      inputNanoPerMillion: 280_000_000n,
      outputNanoPerMillion: 1_140_000_000n,
      cachedInputNanoPerMillion: 70_000_000n,
    });
    // The database refuses a task the catalog's schema does not know.
    await expect(
      db.model.update({ where: { id: flux.id }, data: { task: "summarization" } }),
    ).rejects.toThrow(/models_task_check/);
  });
});
