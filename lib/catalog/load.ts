import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { catalogSchema, PROVIDER_POLICIES, type Catalog } from "./schema";

export const CATALOG_FILE = path.resolve(import.meta.dirname, "../../prisma/catalog.json");

/** Reads and validates the catalog, checking that every reference points at a listed entry. */
export function loadCatalog(file = CATALOG_FILE): Catalog {
  const raw: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid catalog ${file}: ${z.prettifyError(parsed.error)}`);
  const catalog = parsed.data;
  const providers = new Map(catalog.providers.map((p) => [p.id, p]));
  const models = new Set(catalog.models.map((m) => m.id));
  const hardware = new Set(catalog.hardwarePrices.map((h) => h.hardware));
  const served = new Set(catalog.providerModels.map((pm) => `${pm.providerId}|${pm.modelId}`));
  const priced = new Set(catalog.prices.map((p) => `${p.providerId}|${p.modelId}`));
  const problems: string[] = [];
  // `<model>:fastest` is a policy; a provider by that name could never be named.
  for (const p of catalog.providers)
    if ((PROVIDER_POLICIES as readonly string[]).includes(p.id))
      problems.push(`providers: ${p.id} is a provider policy, not a provider id`);
  for (const pm of catalog.providerModels) {
    const provider = providers.get(pm.providerId);
    if (!provider) problems.push(`providerModels: unknown provider ${pm.providerId}`);
    if (!models.has(pm.modelId)) problems.push(`providerModels: unknown model ${pm.modelId}`);
    if (provider?.pricingUnit === "compute" && !(pm.hardware && hardware.has(pm.hardware)))
      problems.push(
        `providerModels: ${pm.providerId}/${pm.modelId} is compute-priced and needs a priced hardware`,
      );
    // A served model without a price could never be routed: say so when the file is read.
    if (provider?.pricingUnit === "token" && !priced.has(`${pm.providerId}|${pm.modelId}`))
      problems.push(`providerModels: ${pm.providerId}/${pm.modelId} is token-priced and has no price`);
  }
  for (const price of catalog.prices) {
    if (!served.has(`${price.providerId}|${price.modelId}`))
      problems.push(`prices: ${price.providerId}/${price.modelId} is not in providerModels`);
    // The router holds a request's bound as if nothing were cached: an upper bound only so.
    if (
      price.cachedInputNanoPerMillion !== undefined &&
      price.cachedInputNanoPerMillion > price.inputNanoPerMillion
    )
      problems.push(`prices: ${price.providerId}/${price.modelId} lists cached input above its input price`);
  }
  if (problems.length) throw new Error(`Invalid catalog ${file}:\n  ${problems.join("\n  ")}`);
  return catalog;
}
