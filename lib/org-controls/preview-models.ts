/** Last month's requests billed to the account on one model (both modes), from the daily rollups. */
export interface ModelUsage {
  modelId: string;
  requests: number;
  costNano: bigint;
}

export interface AllowedModelsPreview {
  /** Last month's requests on models the proposal leaves out: they would now be refused. */
  refused: { requests: number; costNano: bigint; models: { id: string; requests: number }[] };
  total: { requests: number; costNano: bigint };
}

/**
 * What an allowlist would stop: last month's requests on the models it leaves out (null allows
 * every model, so nothing). Custom-key requests count too: the allowlist refuses them as well.
 */
export function previewAllowedModels(
  allowed: readonly string[] | null,
  usage: ModelUsage[],
): AllowedModelsPreview {
  const keep = allowed === null ? null : new Set(allowed);
  const preview: AllowedModelsPreview = {
    refused: { requests: 0, costNano: 0n, models: [] },
    total: { requests: 0, costNano: 0n },
  };
  const byModel = new Map<string, number>();
  for (const u of usage) {
    preview.total.requests += u.requests;
    preview.total.costNano += u.costNano;
    if (keep === null || keep.has(u.modelId)) continue;
    preview.refused.requests += u.requests;
    preview.refused.costNano += u.costNano;
    byModel.set(u.modelId, (byModel.get(u.modelId) ?? 0) + u.requests);
  }
  preview.refused.models = [...byModel]
    .map(([id, requests]) => ({ id, requests }))
    .sort((a, b) => b.requests - a.requests || a.id.localeCompare(b.id));
  return preview;
}
