/** Which provider serves which model (active catalog entries only). */
export interface ServedBy {
  providerId: string;
  modelId: string;
  modelName: string;
}

/** Last month's usage of the account, per provider and model (both modes), from the daily rollups. */
export interface ProviderModelUsage {
  providerId: string;
  modelId: string;
  requests: number;
  costNano: bigint;
}

export interface ProviderDisablePreview {
  providerId: string;
  /** Models that no provider the account still allows would serve, with last month's requests on them. */
  modelsLosingLastProvider: { id: string; name: string; lastMonthRequests: number }[];
  lastMonth: {
    /** YYYY-MM */
    month: string;
    /** What the provider served of the account's traffic (routed and custom key). */
    providerRequests: number;
    providerCostNano: bigint;
    totalRequests: number;
    totalCostNano: bigint;
  };
}

/**
 * What switching `providerId` off would take away: the models it serves that no other provider
 * still allowed for the account serves (providers already off count as gone), and the share of
 * last month's traffic the provider served. Custom keys do not help: a disabled provider refuses
 * them too. A provider the platform cannot bill still counts as serving a model (members' keys).
 */
export function previewProviderDisable(input: {
  providerId: string;
  month: string;
  served: ServedBy[];
  disabled: ReadonlySet<string>;
  usage: ProviderModelUsage[];
}): ProviderDisablePreview {
  const stillServed = new Set(
    input.served
      .filter((s) => s.providerId !== input.providerId && !input.disabled.has(s.providerId))
      .map((s) => s.modelId),
  );
  const requestsByModel = new Map<string, number>();
  const lastMonth = {
    month: input.month,
    providerRequests: 0,
    providerCostNano: 0n,
    totalRequests: 0,
    totalCostNano: 0n,
  };
  for (const u of input.usage) {
    lastMonth.totalRequests += u.requests;
    lastMonth.totalCostNano += u.costNano;
    if (u.providerId !== input.providerId) continue;
    lastMonth.providerRequests += u.requests;
    lastMonth.providerCostNano += u.costNano;
    requestsByModel.set(u.modelId, (requestsByModel.get(u.modelId) ?? 0) + u.requests);
  }
  const modelsLosingLastProvider = input.served
    .filter((s) => s.providerId === input.providerId && !stillServed.has(s.modelId))
    .map((s) => ({
      id: s.modelId,
      name: s.modelName,
      lastMonthRequests: requestsByModel.get(s.modelId) ?? 0,
    }))
    .sort((a, b) => b.lastMonthRequests - a.lastMonthRequests || a.name.localeCompare(b.name));
  return { providerId: input.providerId, modelsLosingLastProvider, lastMonth };
}
