/**
 * `model` as callers write it: `<model-id>` (the router picks the provider) or
 * `<model-id>:<provider>`. Model ids contain "/" but never ":", so the last ":" splits them.
 */
export function parseModelRef(model: string): { modelId: string; providerId: string | null } {
  const colon = model.lastIndexOf(":");
  if (colon <= 0 || colon === model.length - 1) return { modelId: model, providerId: null };
  return { modelId: model.slice(0, colon), providerId: model.slice(colon + 1) };
}
