import { route } from "@/lib/http/route";
import { routerDeps } from "@/lib/router/deps";
import { handleChatCompletion, parseBillTo } from "@/lib/router/handle";
import { chatCompletionRequestSchema } from "@/lib/router/request";

/** OpenAI-compatible chat completions, billed to the caller or to the X-HF-Bill-To org. */
export const POST = route({ auth: "token", body: chatCompletionRequestSchema }, ({ req, principal, body }) =>
  handleChatCompletion(routerDeps(), {
    userId: principal.userId,
    billTo: parseBillTo(req.headers.get("x-hf-bill-to")),
    request: body,
    signal: req.signal,
  }),
);
