import { chatCompletions } from "@/lib/api/contracts/router";
import { withContract } from "@/lib/http/contract";
import { routerDeps } from "@/lib/router/deps";
import { v1Handler } from "@/lib/router/http";

/** OpenAI-compatible chat completions (lib/router/http.ts; `npm start` serves /v1 without Next). */
export const POST = withContract(chatCompletions, (req: Request) => v1Handler(routerDeps())(req));
