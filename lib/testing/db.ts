import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { ensureDatabase } from "@/lib/db/embedded";
import { withClient } from "@/lib/db/with-client";
import { createPrismaClient } from "@/lib/db/prisma";

/** The worker's database, as a Prisma client (see worker-db.ts). */
export function testDb() {
  return createPrismaClient(process.env.DATABASE_URL!);
}

/** A new, empty database (no migrations) for tests that need a clean slate; dropped by `drop`. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `fresh_${randomUUID().replaceAll("-", "")}`;
  await ensureDatabase(adminUrl, name);
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
