import { loadCatalog } from "@/lib/catalog/load";
import { syncCatalog } from "@/lib/catalog/sync";
import { migrateUrl } from "@/lib/db/migrate-url";
import { createPrismaClient } from "@/lib/db/prisma";

/**
 * What every process does before using the database: apply pending migrations, then bring the
 * price catalog (prisma/catalog.json) in, so an operator's edit takes effect on the next start.
 */
export async function prepareDatabase(url: string): Promise<{ applied: string[] }> {
  const migrations = await migrateUrl(url);
  const db = createPrismaClient(url);
  try {
    await syncCatalog(db, loadCatalog());
  } finally {
    await db.$disconnect();
  }
  return migrations;
}
