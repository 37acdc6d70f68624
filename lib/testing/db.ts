import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { ensureDatabase } from "@/lib/db/embedded";
import { withClient } from "@/lib/db/with-client";
import { createPrismaClient } from "@/lib/db/prisma";
import { TEMPLATE_DATABASE } from "./global-setup";

/** The worker's database, as a Prisma client (see worker-db.ts). */
export function testDb() {
  return createPrismaClient(process.env.DATABASE_URL!);
}

/** A new, empty database (no migrations) for tests that need a clean slate; dropped by `drop`. */
export const freshDatabase = () => newDatabase("fresh");

/** A new database cloned from the migrated template, for tests that check the whole database. */
export const migratedDatabase = () => newDatabase("migrated", TEMPLATE_DATABASE);

async function newDatabase(
  prefix: string,
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `${prefix}_${randomUUID().replaceAll("-", "")}`;
  await ensureDatabase(adminUrl, name, template);
  return {
    url: adminUrl.replace(/\/postgres$/, `/${name}`),
    drop: () =>
      withClient(
        adminUrl,
        async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
      ),
  };
}

/** A unique email, so tests sharing a worker database never collide. */
export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@test.example`;
export const uniqueName = (label = "org") => `${label}-${randomUUID().slice(0, 8)}`;
