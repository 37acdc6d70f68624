import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase } from "@/lib/testing/db";
import { MIGRATIONS_DIR, migrate, MigrationError, readMigrations } from "./migrate";
import { migrateUrl } from "./migrate-url";
import { withClient } from "./with-client";
import { runProcess } from "@/lib/testing/run-process";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh() {
  const db = await freshDatabase();
  cleanups.push(db.drop);
  return db.url;
}

function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (c) => (await c.query<T>(sql)).rows);
}

/** A copy of the real migrations in a temporary folder, to edit without touching the repository. */
function copyOfMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe("migration runner", () => {
  it("applies every migration to a fresh database and records its checksum", async () => {
    const url = await fresh();
    const { applied } = await migrateUrl(url);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    const rows = await query<{ name: string; checksum: string }>(
      url,
      "SELECT name, checksum FROM _migrations ORDER BY name",
    );
    expect(rows).toEqual(readMigrations().map((m) => ({ name: m.name, checksum: m.checksum })));
    const tables = await query<{ n: string }>(
      url,
      "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(Number(tables[0]!.n)).toBeGreaterThan(20);
  });

  it("is a no-op when re-run", async () => {
    const url = await fresh();
    await migrateUrl(url);
    expect(await migrateUrl(url)).toEqual({ applied: [] });
  });

  it("refuses a database whose applied migration was edited, and changes nothing", async () => {
    const url = await fresh();
    const dir = copyOfMigrations();
    await withClient(url, (c) => migrate(c, dir));
    const first = readMigrations(dir)[0]!;
    fs.appendFileSync(path.join(dir, first.name, "migration.sql"), "\nCREATE TABLE sneaky (id int);\n");
    fs.mkdirSync(path.join(dir, "29990101000000_later"));
    fs.writeFileSync(path.join(dir, "29990101000000_later", "migration.sql"), "CREATE TABLE later (id int);");

    await expect(withClient(url, (c) => migrate(c, dir))).rejects.toThrow(
      new RegExp(`Migration ${first.name} was edited after it was applied`),
    );
    await expect(withClient(url, (c) => migrate(c, dir))).rejects.toBeInstanceOf(MigrationError);
    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_name IN ('sneaky', 'later')",
    );
    expect(tables).toEqual([]);
  });

  it("refuses to run older code against a newer database", async () => {
    const url = await fresh();
    const dir = copyOfMigrations();
    fs.mkdirSync(path.join(dir, "29990101000000_later"));
    fs.writeFileSync(path.join(dir, "29990101000000_later", "migration.sql"), "CREATE TABLE later (id int);");
    await withClient(url, (c) => migrate(c, dir));
    await expect(migrateUrl(url)).rejects.toThrow(
      /29990101000000_later is applied to the database but missing/,
    );
  });

  it("rolls back a failing migration completely", async () => {
    const url = await fresh();
    const dir = copyOfMigrations();
    fs.mkdirSync(path.join(dir, "29990101000000_broken"));
    fs.writeFileSync(
      path.join(dir, "29990101000000_broken", "migration.sql"),
      "CREATE TABLE half (id int);\nSELECT nonsense(;",
    );
    await expect(withClient(url, (c) => migrate(c, dir))).rejects.toThrow();
    const rows = await query<{ n: string }>(
      url,
      "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows[0]!.n).toBe("0"); // not even the first migration or _migrations stayed behind
  });

  it("lets two processes migrate at once: one applies, the other waits and finds nothing to do", async () => {
    const url = await fresh();
    const run = () =>
      runProcess(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], {
        ...process.env,
        DATABASE_URL: url,
      });
    const results = await Promise.all([run(), run()]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const applied = results.map((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
    const all = readMigrations().map((m) => m.name);
    expect(applied).toContainEqual(all);
    expect(applied).toContainEqual([]);
    const rows = await query<{ n: string }>(url, "SELECT count(*)::text AS n FROM _migrations");
    expect(Number(rows[0]!.n)).toBe(all.length);
  });
});
