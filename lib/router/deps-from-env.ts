import type { Db } from "@/lib/db/prisma";
import { isProduction, readEnv } from "@/lib/config/env";
import { providerKeyRing } from "@/lib/keys/key-ring";
import type { RouterDeps } from "./chat";
import { parseUpstreamsConfig } from "./upstreams-config";
import { CallerGuesses } from "./caller-guesses";
import { settlementQueue } from "./settlements";
import { admissionQueue } from "./admissions";
import { ThroughputWindow } from "./throughput";

/** The router's wiring from the environment, over a database client. */
export function routerDepsFromEnv(db: Db, env = readEnv()): RouterDeps {
  return {
    db,
    ring: providerKeyRing(),
    upstreams: parseUpstreamsConfig(env.ROUTER_UPSTREAMS),
    production: isProduction(env),
    timeoutMs: env.ROUTER_UPSTREAM_TIMEOUT_MS,
    holdTtlMs: env.ROUTER_HOLD_TTL_MS,
    callers: new CallerGuesses(),
    admissions: admissionQueue(db),
    settlements: settlementQueue(db),
    throughput: new ThroughputWindow(),
  };
}
