import { getGeneration } from "@/lib/api/contracts/router";
import { withContract } from "@/lib/http/contract";
import { routerDeps } from "@/lib/router/deps";
import { v1Handler } from "@/lib/router/http";

/** One request's cost and details by its id (lib/router/http.ts). */
export const GET = withContract(getGeneration, (req: Request) => v1Handler(routerDeps())(req));
