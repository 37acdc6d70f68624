import { z } from "zod";
import { httpUpstream } from "./http-upstream";
import { sandboxUpstream } from "./sandbox";
import type { Upstream } from "./upstream";

/**
 * ROUTER_UPSTREAMS: the platform's own credentials, per provider, as JSON:
 * {"together": {"apiKey": "...", "baseUrl": "https://... (optional, overrides the catalog)"}}.
 */
const upstreamsSchema = z.record(
  z.string().min(1),
  z.strictObject({ apiKey: z.string().min(1), baseUrl: z.url().optional() }),
);
export type UpstreamsConfig = z.infer<typeof upstreamsSchema>;

export function parseUpstreamsConfig(json: string | undefined): UpstreamsConfig {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error("ROUTER_UPSTREAMS is not valid JSON.");
  }
  const parsed = upstreamsSchema.safeParse(value);
  if (!parsed.success) throw new Error(`ROUTER_UPSTREAMS is invalid: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export interface Route {
  upstream: Upstream;
  baseUrl: string;
  /** The platform's credential, when it has one for this provider. */
  platformKey: string | null;
  sandbox: boolean;
}

/**
 * Where a provider's requests go. With a platform credential: the provider over HTTP. Without
 * one, outside production: the sandbox. In production without one: the provider over HTTP for
 * requests with the caller's own key, and routed requests are refused (nothing to bill with).
 */
export function routeFor(
  config: UpstreamsConfig,
  offer: { providerId: string; baseUrl: string },
  opts: { production: boolean },
): Route {
  const own = config[offer.providerId];
  if (own)
    return {
      upstream: httpUpstream,
      baseUrl: own.baseUrl ?? offer.baseUrl,
      platformKey: own.apiKey,
      sandbox: false,
    };
  if (!opts.production)
    return { upstream: sandboxUpstream, baseUrl: offer.baseUrl, platformKey: null, sandbox: true };
  return { upstream: httpUpstream, baseUrl: offer.baseUrl, platformKey: null, sandbox: false };
}
