import { loadCatalog } from "@/lib/catalog/load";
import { syncCatalog } from "@/lib/catalog/sync";
import { migrateUrl } from "@/lib/db/migrate-url";
import { createPrismaClient, poolOf } from "@/lib/db/prisma";
import { ensureUsagePartitions, readyMonths } from "@/lib/db/usage-partitions";

/**
 * What every process does before using the database: apply pending migrations, then bring the
 * price catalog (prisma/catalog.json) in, so an operator's edit takes effect on the next start,
 * and make sure the usage partitions of this month and the next few exist.
 */
export async function prepareDatabase(url: string): Promise<{ applied: string[] }> {
  const migrations = await migrateUrl(url);
  const db = createPrismaClient(url);
  try {
    await syncCatalog(db, loadCatalog());
    await ensureUsagePartitions(poolOf(db), readyMonths(new Date()));
  } finally {
    await db.$disconnect();
  }
  return migrations;
}
