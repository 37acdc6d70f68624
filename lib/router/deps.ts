import "server-only";
import { getDb } from "@/lib/db/client";
import { isProduction, readEnv } from "@/lib/config/env";
import { providerKeyRing } from "@/lib/keys/key-ring";
import type { RouterDeps } from "./chat";
import { parseUpstreamsConfig } from "./upstreams-config";

let deps: RouterDeps | undefined;

/** The router's wiring in the running app, read from the environment once. */
export function routerDeps(): RouterDeps {
  if (deps) return deps;
  const env = readEnv();
  deps = {
    db: getDb(),
    ring: providerKeyRing(),
    upstreams: parseUpstreamsConfig(env.ROUTER_UPSTREAMS),
    production: isProduction(env),
    timeoutMs: env.ROUTER_UPSTREAM_TIMEOUT_MS,
  };
  return deps;
}
