import type { Db } from "@/lib/db/prisma";
import type { Catalog } from "./schema";

/**
 * Writes the catalog into the database in one transaction. Providers, models and what serves
 * what are updated in place; prices are versions, so existing (effectiveFrom) rows are kept and
 * new ones added: a usage event is always rated at the price in force when it ran.
 *
 * Every process runs this at start (the app, the admin CLI), while settlements are storing
 * events. Their foreign-key checks hold KEY SHARE locks on the provider and model rows; an
 * upsert that names a key column in its update takes FOR UPDATE on the row instead, which
 * waits for them, and two such waits deadlock. So the updates leave the keys out (FOR NO KEY
 * UPDATE, which a KEY SHARE never waits for).
 */
export async function syncCatalog(db: Db, catalog: Catalog): Promise<void> {
  await db.$transaction(
    async (tx) => {
      for (const { id, ...fields } of catalog.providers) {
        await tx.provider.upsert({ where: { id }, create: { id, ...fields }, update: fields });
      }
      for (const { id, ...fields } of catalog.models) {
        await tx.model.upsert({ where: { id }, create: { id, ...fields }, update: fields });
      }
      for (const { providerId, modelId, ...fields } of catalog.providerModels) {
        const update = { ...fields, hardware: fields.hardware ?? null };
        await tx.providerModel.upsert({
          where: { providerId_modelId: { providerId, modelId } },
          create: { providerId, modelId, ...update },
          update,
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
