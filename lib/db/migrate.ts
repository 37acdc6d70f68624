import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
/** Arbitrary constant: the advisory lock every migrating process takes, so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_240_213_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Migrations on disk, in name (timestamp) order: prisma/migrations/<timestamp>_<name>/migration.sql. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies pending migrations in one transaction, under an advisory lock so two processes never
 * migrate at once (the second waits, then finds nothing to do). An applied migration whose file
 * changed, or that this checkout does not have, stops everything with a clear error.
 */
export async function migrate(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const migrations = readMigrations(dir);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS _migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM _migrations ORDER BY name",
    );
    const onDisk = new Map(migrations.map((m) => [m.name, m]));
    for (const row of rows) {
      const file = onDisk.get(row.name);
      if (!file) {
        throw new MigrationError(
          `Migration ${row.name} is applied to the database but missing from prisma/migrations: ` +
            `this checkout is older than the database. Update the code before starting it.`,
        );
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)} in the ` +
            `database, ${file.checksum.slice(0, 12)} on disk). Applied migrations are immutable: restore the ` +
            `file and put the change in a new migration.`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO _migrations (name, checksum) VALUES ($1, $2)", [m.name, m.checksum]);
      applied.push(m.name);
    }
    await client.query("COMMIT");
    return { applied };
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  }
}
