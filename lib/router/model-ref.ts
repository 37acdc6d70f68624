import { PROVIDER_POLICIES as POLICIES } from "@/lib/catalog/schema";

/** How the router picks a provider when the caller names none (see docs/api.md). */
export type Policy = (typeof POLICIES)[number];

export interface ModelRef {
  modelId: string;
  /** `<model-id>:<provider>`: that provider and no other. */
  providerId: string | null;
  /** `<model-id>:fastest|cheapest|preferred`; null with a bare id (the caller's order, else fastest). */
  policy: Policy | null;
}

/**
 * `model` as callers write it: `<model-id>`, `<model-id>:<policy>` or `<model-id>:<provider>`.
 * Model ids contain "/" but never ":", so the last ":" splits them; the policy names are never
 * provider ids (the catalog refuses them).
 */
export function parseModelRef(model: string): ModelRef {
  const colon = model.lastIndexOf(":");
  if (colon <= 0 || colon === model.length - 1) return { modelId: model, providerId: null, policy: null };
  const suffix = model.slice(colon + 1);
  const modelId = model.slice(0, colon);
  return (POLICIES as readonly string[]).includes(suffix)
    ? { modelId, providerId: null, policy: suffix as Policy }
    : { modelId, providerId: suffix, policy: null };
}
