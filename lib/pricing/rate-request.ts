import type { DbOrTx } from "@/lib/db/prisma";
import { AppError } from "@/lib/http/errors";
import { computeCostNano, tokenCostNano } from "./rate";

export interface RatedRequest {
  costNano: bigint;
  hardware: string | null;
  billingIntegrated: boolean;
}

/**
 * The list-price cost of one request, at the catalog version in force when it ran: tokens for
 * token-priced providers, compute time on the model's hardware for compute-priced ones.
 */
export async function rateRequest(
  db: DbOrTx,
  input: {
    providerId: string;
    modelId: string;
    inputTokens: number;
    outputTokens: number;
    computeMs: number;
    at: Date;
  },
): Promise<RatedRequest> {
  const served = await db.providerModel.findUnique({
    where: { providerId_modelId: { providerId: input.providerId, modelId: input.modelId } },
    select: { hardware: true, provider: { select: { pricingUnit: true, billingIntegrated: true } } },
  });
  if (!served) {
    throw new AppError(404, "model_not_found", `${input.providerId} does not serve ${input.modelId}.`, {
      provider: input.providerId,
      model: input.modelId,
    });
  }
  const { pricingUnit, billingIntegrated } = served.provider;
  if (pricingUnit === "compute") {
    const price = served.hardware
      ? await db.hardwarePrice.findFirst({
          where: { hardware: served.hardware, effectiveFrom: { lte: input.at } },
          orderBy: { effectiveFrom: "desc" },
        })
      : null;
    if (!price) throw noPrice(input);
    return {
      costNano: computeCostNano(input.computeMs, price),
      hardware: served.hardware,
      billingIntegrated,
    };
  }
  const price = await db.price.findFirst({
    where: { providerId: input.providerId, modelId: input.modelId, effectiveFrom: { lte: input.at } },
    orderBy: { effectiveFrom: "desc" },
  });
  if (!price) throw noPrice(input);
  return { costNano: tokenCostNano(input, price), hardware: null, billingIntegrated };
}

function noPrice(input: { providerId: string; modelId: string; at: Date }) {
  return new AppError(
    404,
    "price_not_found",
    `No price for ${input.modelId} on ${input.providerId} was in force at ${input.at.toISOString()}.`,
  );
}
