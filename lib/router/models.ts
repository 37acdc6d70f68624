import type { Db } from "@/lib/db/prisma";
import { nanoToUsd } from "@/lib/money/format";
import { routerCatalog } from "./catalog";

/** GET /v1/models: OpenAI's list shape, each model with who serves it and at what list price. */
export async function listModels(db: Db, at: Date) {
  const catalog = await routerCatalog(db);
  return {
    object: "list" as const,
    data: catalog.models.map((m) => ({
      id: m.id,
      object: "model" as const,
      created: Math.floor(m.createdAt.getTime() / 1000),
      owned_by: m.id.split("/")[0] ?? m.id,
      name: m.displayName,
      task: m.task,
      providers: (catalog.offers.get(m.id) ?? []).map((o) => {
        const price = catalog.book.priceAt(o.providerId, o.modelId, at);
        return {
          provider: o.providerId,
          name: o.providerName,
          /** Routed requests need this; otherwise only your own key works. */
          billing_integrated: o.billingIntegrated,
          pricing:
            price === null
              ? null
              : price.unit === "token"
                ? {
                    unit: "token" as const,
                    input_usd_per_million: nanoToUsd(price.inputNanoPerMillion),
                    output_usd_per_million: nanoToUsd(price.outputNanoPerMillion),
                    ...(price.cachedInputNanoPerMillion === null
                      ? {}
                      : { cached_input_usd_per_million: nanoToUsd(price.cachedInputNanoPerMillion) }),
                  }
                : {
                    unit: "compute" as const,
                    hardware: price.hardware,
                    usd_per_second: nanoToUsd(price.nanoPerSecond),
                  },
        };
      }),
    })),
  };
}
