import { bearerTokenHash, tokenRequired, userFromBearer } from "@/lib/auth/bearer";
import { AppError } from "@/lib/kernel/errors";
import { errorResponse } from "@/lib/http/error-response";
import { jsonResponse } from "@/lib/http/json";
import { parse, readJson, readQuery } from "@/lib/http/parse";
import type { RouterDeps } from "./chat";
import { handleChatCompletion, parseBillTo } from "./handle";
import { findGeneration } from "./generation";
import { generationQuerySchema } from "./generation-wire";
import { listModels } from "./models";
import type { HttpRequest } from "@/lib/http/serve-fetch";
import { chatCompletionRequestSchema } from "./request";

/**
 * The inference API, `/v1/*`, as one fetch-style handler with nothing of Next.js in it: the
 * app's route files call it, and `npm start` serves `/v1` with it directly, off Next's page
 * pipeline (which costs more than the whole billing path here). Access tokens only: a browser's
 * cookie never makes a billable call.
 */
export function v1Handler(deps: RouterDeps) {
  return async (req: HttpRequest): Promise<Response> => {
    try {
      const { pathname } = new URL(req.url);
      const query = readQuery(req.url); // refuses a query that is not UTF-8, whatever the path
      const authorization = req.headers.get("authorization");
      if (!authorization) throw tokenRequired();
      if (pathname === "/v1/models" && req.method === "GET") {
        await userFromBearer(deps.db, authorization, "inference");
        return jsonResponse(await listModels(deps.db, new Date()));
      }
      if (pathname === "/v1/generation" && req.method === "GET") {
        const { id } = parse(generationQuerySchema, query, "query");
        return jsonResponse(
          await findGeneration(deps.db, {
            userId: await userFromBearer(deps.db, authorization, "inference"),
            id,
          }),
        );
      }
      if (pathname === "/v1/chat/completions" && req.method === "POST") {
        // The token is checked by the statement that admits the request (see dispatch).
        return await handleChatCompletion(deps, {
          tokenHash: bearerTokenHash(authorization),
          billTo: parseBillTo(req.headers.get("x-hf-bill-to")),
          request: parse(chatCompletionRequestSchema, await readJson(req), "body"),
          signal: req.signal,
        });
      }
      throw new AppError(
        404,
        "not_found",
        `${req.method} ${pathname} is not part of the API. See /v1/models, /v1/chat/completions and /v1/generation.`,
      );
    } catch (e) {
      return errorResponse(e);
    }
  };
}
