import { route } from "@/lib/http/route";
import { routerDeps } from "@/lib/router/deps";
import { listModels } from "@/lib/router/models";

/** The catalog's models, each with its providers and their prices now (OpenAI's list shape). */
export const GET = route({ auth: "token" }, async () => {
  const deps = routerDeps();
  return listModels(deps.db, new Date());
});
