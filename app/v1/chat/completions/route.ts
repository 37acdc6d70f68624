import { routerDeps } from "@/lib/router/deps";
import { v1Handler } from "@/lib/router/http";

/** OpenAI-compatible chat completions (lib/router/http.ts; `npm start` serves /v1 without Next). */
export const POST = (req: Request) => v1Handler(routerDeps())(req);
