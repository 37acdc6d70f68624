import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { computeCostNano, tokenCostNano } from "./rate";

export interface Served {
  billingIntegrated: boolean;
  pricingUnit: "token" | "compute";
  hardware: string | null;
}

export type ListPrice =
  | {
      unit: "token";
      inputNanoPerMillion: bigint;
      outputNanoPerMillion: bigint;
      /** Cached prompt tokens, where the provider lists a price for them (else billed as input). */
      cachedInputNanoPerMillion: bigint | null;
    }
  | { unit: "compute"; hardware: string; nanoPerSecond: bigint };

interface Entry {
  served: Served;
  /** Newest first. */
  tokenPrices: {
    from: Date;
    inputNanoPerMillion: bigint;
    outputNanoPerMillion: bigint;
    cachedInputNanoPerMillion: bigint | null;
  }[];
  hardwarePrices: { from: Date; nanoPerSecond: bigint }[];
}

interface Row {
  providerId: string;
  modelId: string;
  hardware: string | null;
  billingIntegrated: boolean;
  pricingUnit: "token" | "compute";
  /** Every version, newest first (JSON, so amounts arrive as strings). */
  tokenPrices: { from: string; input: string; output: string; cached: string | null }[] | null;
  hardwarePrices: { from: string; perSecond: string }[] | null;
}

/**
 * The catalog slice a batch of requests needs, in one query: what serves each (provider,
 * model) and every price version of it and of its hardware. `rate` picks the version in force
 * when each request ran.
 */
export async function loadPriceBook(db: Db, pairs: { providerId: string; modelId: string }[]) {
  // Nested maps, not "provider|model" strings: a batch looks pairs up several times per event.
  const wanted = new Map<string, Set<string>>();
  for (const p of pairs) {
    const models = wanted.get(p.providerId) ?? new Set<string>();
    wanted.set(p.providerId, models.add(p.modelId));
  }
  const keys = [...wanted].flatMap(([provider, models]) => [...models].map((model) => [provider, model]));
  const rows = keys.length
    ? (
        await poolOf(db).query<Row>(sql`
        SELECT pm.provider_id AS "providerId", pm.model_id AS "modelId", pm.hardware,
               p.billing_integrated AS "billingIntegrated", p.pricing_unit::text AS "pricingUnit",
               (SELECT json_agg(json_build_object('from', pr.effective_from, 'input', pr.input_nano_per_million::text,
                                                  'output', pr.output_nano_per_million::text,
                                                  'cached', pr.cached_input_nano_per_million::text) ORDER BY pr.effective_from DESC)
                FROM prices pr WHERE pr.provider_id = pm.provider_id AND pr.model_id = pm.model_id) AS "tokenPrices",
               (SELECT json_agg(json_build_object('from', h.effective_from, 'perSecond', h.nano_per_second::text) ORDER BY h.effective_from DESC)
                FROM hardware_prices h WHERE h.hardware = pm.hardware) AS "hardwarePrices"
        FROM unnest(${keys.map((k) => k[0])}::text[], ${keys.map((k) => k[1])}::text[]) AS w(provider_id, model_id)
        JOIN provider_models pm ON pm.provider_id = w.provider_id AND pm.model_id = w.model_id
        JOIN providers p ON p.id = pm.provider_id`)
      ).rows
    : [];
  const byPair = new Map<string, Map<string, Entry>>();
  for (const r of rows) {
    const models = byPair.get(r.providerId) ?? new Map<string, Entry>();
    byPair.set(
      r.providerId,
      models.set(r.modelId, {
        served: {
          billingIntegrated: r.billingIntegrated,
          pricingUnit: r.pricingUnit,
          hardware: r.hardware,
        } satisfies Served,
        tokenPrices: (r.tokenPrices ?? []).map((p) => ({
          from: new Date(p.from),
          inputNanoPerMillion: BigInt(p.input),
          outputNanoPerMillion: BigInt(p.output),
          cachedInputNanoPerMillion: p.cached === null ? null : BigInt(p.cached),
        })),
        hardwarePrices: (r.hardwarePrices ?? []).map((p) => ({
          from: new Date(p.from),
          nanoPerSecond: BigInt(p.perSecond),
        })),
      }),
    );
  }
  function priceAt(providerId: string, modelId: string, at: Date): ListPrice | null {
    const entry = byPair.get(providerId)?.get(modelId);
    if (!entry) return null;
    if (entry.served.pricingUnit === "compute") {
      const price = entry.hardwarePrices.find((h) => h.from <= at);
      return price
        ? { unit: "compute", hardware: entry.served.hardware!, nanoPerSecond: price.nanoPerSecond }
        : null;
    }
    const price = entry.tokenPrices.find((p) => p.from <= at);
    return price
      ? {
          unit: "token",
          inputNanoPerMillion: price.inputNanoPerMillion,
          outputNanoPerMillion: price.outputNanoPerMillion,
          cachedInputNanoPerMillion: price.cachedInputNanoPerMillion,
        }
      : null;
  }
  return {
    served(providerId: string, modelId: string): Served | undefined {
      return byPair.get(providerId)?.get(modelId)?.served;
    },
    /** The price version in force at `at`: per million tokens, or the hardware's per second. */
    priceAt,
    /** The list-price cost, or null when no price was in force at `at`. */
    rate(r: {
      providerId: string;
      modelId: string;
      inputTokens: number;
      outputTokens: number;
      cachedInputTokens?: number;
      reasoningTokens?: number;
      computeMs: number;
      at: Date;
    }): bigint | null {
      const price = priceAt(r.providerId, r.modelId, r.at);
      if (!price) return null;
      return price.unit === "compute" ? computeCostNano(r.computeMs, price) : tokenCostNano(r, price);
    },
  };
}

export type PriceBook = Awaited<ReturnType<typeof loadPriceBook>>;
