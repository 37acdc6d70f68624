import type { DbOrTx } from "@/lib/db/prisma";
import { computeCostNano, tokenCostNano } from "./rate";

export interface Served {
  billingIntegrated: boolean;
  pricingUnit: "token" | "compute";
  hardware: string | null;
}

/**
 * The catalog slice a batch of requests needs, loaded in three queries: what serves what, and
 * every price version of those pairs and hardware. `rate` picks the version in force when each
 * request ran.
 */
export async function loadPriceBook(db: DbOrTx, pairs: { providerId: string; modelId: string }[]) {
  const keys = [...new Set(pairs.map((p) => `${p.providerId}\u0000${p.modelId}`))].map((k) => {
    const [providerId, modelId] = k.split("\u0000") as [string, string];
    return { providerId, modelId };
  });
  const served = keys.length
    ? await db.providerModel.findMany({
        where: { OR: keys },
        select: {
          providerId: true,
          modelId: true,
          hardware: true,
          provider: { select: { billingIntegrated: true, pricingUnit: true } },
        },
      })
    : [];
  const prices = keys.length
    ? await db.price.findMany({ where: { OR: keys }, orderBy: { effectiveFrom: "desc" } })
    : [];
  const hardwareNames = [...new Set(served.map((s) => s.hardware).filter((h): h is string => Boolean(h)))];
  const hardwarePrices = hardwareNames.length
    ? await db.hardwarePrice.findMany({
        where: { hardware: { in: hardwareNames } },
        orderBy: { effectiveFrom: "desc" },
      })
    : [];

  const servedBy = new Map<string, Served>(
    served.map((s) => [`${s.providerId}\u0000${s.modelId}`, { ...s.provider, hardware: s.hardware }]),
  );
  return {
    served(providerId: string, modelId: string): Served | undefined {
      return servedBy.get(`${providerId}\u0000${modelId}`);
    },
    /** The list-price cost, or null when no price was in force at `at`. */
    rate(r: {
      providerId: string;
      modelId: string;
      inputTokens: number;
      outputTokens: number;
      computeMs: number;
      at: Date;
    }): bigint | null {
      const s = servedBy.get(`${r.providerId}\u0000${r.modelId}`);
      if (!s) return null;
      if (s.pricingUnit === "compute") {
        const price = hardwarePrices.find((h) => h.hardware === s.hardware && h.effectiveFrom <= r.at);
        return price ? computeCostNano(r.computeMs, price) : null;
      }
      const price = prices.find(
        (p) => p.providerId === r.providerId && p.modelId === r.modelId && p.effectiveFrom <= r.at,
      );
      return price ? tokenCostNano(r, price) : null;
    },
  };
}

export type PriceBook = Awaited<ReturnType<typeof loadPriceBook>>;
