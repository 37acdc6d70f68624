import { z } from "zod";
import { orgNameSchema } from "@/lib/accounts/schemas";
import { AppError } from "@/lib/kernel/errors";
import { jsonResponse } from "@/lib/http/json";
import { dispatch, type RouterDeps } from "./chat";
import { completeChat, streamChat } from "./respond";
import type { ChatCompletionRequest } from "./request";

const billToSchema = orgNameSchema.nullable();

/** X-HF-Bill-To as sent: absent or empty bills the caller. */
export function parseBillTo(header: string | null): string | null {
  const parsed = billToSchema.safeParse(header?.trim() || null);
  if (!parsed.success) {
    throw new AppError(
      400,
      "invalid_request",
      "X-HF-Bill-To must be the name of an organization you belong to.",
      {
        issues: z.treeifyError(parsed.error),
      },
    );
  }
  return parsed.data;
}

/** POST /v1/chat/completions, once the caller is authenticated and the body validated. */
export async function handleChatCompletion(
  deps: RouterDeps,
  input: { tokenHash: string; billTo: string | null; request: ChatCompletionRequest; signal: AbortSignal },
): Promise<Response> {
  const d = await dispatch(deps, input);
  const headers = { "x-request-id": d.id };
  if (input.request.stream) {
    const body = await streamChat(deps, d);
    return new Response(body, {
      headers: {
        ...headers,
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store, no-transform",
      },
    });
  }
  const completion = await completeChat(deps, d);
  return jsonResponse(completion, { headers });
}
