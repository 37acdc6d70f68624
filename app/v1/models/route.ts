import { getModels } from "@/lib/api/contracts/router";
import { withContract } from "@/lib/http/contract";
import { routerDeps } from "@/lib/router/deps";
import { v1Handler } from "@/lib/router/http";

/** The catalog's models with their providers and prices (lib/router/http.ts). */
export const GET = withContract(getModels, (req: Request) => v1Handler(routerDeps())(req));
