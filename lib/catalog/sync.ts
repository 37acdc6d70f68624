import type { Db } from "@/lib/db/prisma";
import type { Catalog } from "./schema";

/**
 * Writes the catalog into the database in one transaction. Providers, models and what serves
 * what are updated in place; prices are versions, so existing (effectiveFrom) rows are kept and
 * new ones added: a usage event is always rated at the price in force when it ran.
 */
export async function syncCatalog(db: Db, catalog: Catalog): Promise<void> {
  await db.$transaction(
    async (tx) => {
      for (const p of catalog.providers) {
        await tx.provider.upsert({ where: { id: p.id }, create: p, update: p });
      }
      for (const m of catalog.models) {
        await tx.model.upsert({ where: { id: m.id }, create: m, update: m });
      }
      for (const pm of catalog.providerModels) {
        const data = { ...pm, hardware: pm.hardware ?? null };
        await tx.providerModel.upsert({
          where: { providerId_modelId: { providerId: pm.providerId, modelId: pm.modelId } },
          create: data,
          update: data,
        });
      }
      await tx.price.createMany({ data: catalog.prices, skipDuplicates: true });
      await tx.hardwarePrice.createMany({ data: catalog.hardwarePrices, skipDuplicates: true });
      await tx.planPrice.createMany({ data: catalog.plans, skipDuplicates: true });
    },
    // A statement per row: on a busy machine that outlasts Prisma's default 5 s.
    { timeout: 60_000 },
  );
}
