import "server-only";
import { getDb } from "@/lib/db/client";
import type { RouterDeps } from "./chat";
import { routerDepsFromEnv } from "./deps-from-env";

let deps: RouterDeps | undefined;

/** The router's wiring in the running app, read from the environment once. */
export function routerDeps(): RouterDeps {
  deps ??= routerDepsFromEnv(getDb());
  return deps;
}
