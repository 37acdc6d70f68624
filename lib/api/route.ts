import "server-only";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { authOptions } from "@/lib/auth/options";
import { serviceFromBearer, tokenRequired, userFromBearer } from "@/lib/auth/bearer";
import { getDb } from "@/lib/db/client";
import { withContract, type Auth, type ResponseSpec, type RouteContract } from "@/lib/http/contract";
import { AppError } from "@/lib/kernel/errors";
import { errorResponse } from "@/lib/http/error-response";
import { parse, readJson, readQuery, refuseOversizedBody } from "@/lib/http/parse";
import { jsonResponse } from "@/lib/http/json";

type UserPrincipal = { userId: string; via: "session" | "token" };
type ServicePrincipal = { serviceTokenId: string };
type CallerAuth = Exclude<Auth, "public">;
type Principal<A extends CallerAuth> = A extends "service" ? ServicePrincipal : UserPrincipal;

interface RouteContext<A extends CallerAuth, P, Q, B> {
  req: Request;
  principal: Principal<A>;
  params: P;
  query: Q;
  body: B;
}

/** What a handler returns: the documented JSON body (or a Response of its own), nothing for a 204, a Response for a file. */
type HandlerResult<R extends ResponseSpec> = R extends { schema: infer S extends z.ZodType }
  ? z.input<S> | Response
  : R extends { status: 204 }
    ? void
    : Response;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A route handler that serves a contract (lib/api/contracts): who may call it, the zod schemas
 * of its params, query and body, and the body it answers, the same ones the OpenAPI document
 * is generated from. Every failure leaves as {"error": {code, message, ...}}; an unexpected
 * error is logged and answered with a generic message, never its own text.
 */
export function route<
  A extends CallerAuth,
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends ResponseSpec,
>(
  contract: RouteContract<A, P, Q, B, R>,
  handler: (ctx: RouteContext<A, z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<HandlerResult<R>>,
) {
  const serve = async (
    req: Request,
    ctx: { params: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    try {
      refuseOversizedBody(req);
      const principal = (
        contract.auth === "service"
          ? await serviceFromBearer(getDb(), req.headers.get("authorization"))
          : await authenticate(req, contract.auth === "token")
      ) as Principal<A>;
      const params = contract.params ? parse(contract.params, await ctx.params, "path") : undefined;
      // Read on every route, with or without a query schema: a query that is not UTF-8 is refused.
      const queryValues = readQuery(req.url);
      const query = contract.query ? parse(contract.query, queryValues, "query") : undefined;
      const body = contract.body ? parse(contract.body, await readJson(req), "body") : undefined;
      const result = await handler({ req, principal, params, query, body } as RouteContext<
        A,
        z.infer<P>,
        z.infer<Q>,
        z.infer<B>
      >);
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return jsonResponse(result, { status: contract.response.status });
    } catch (e) {
      return errorResponse(e);
    }
  };
  return withContract(contract as RouteContract, serve);
}

async function authenticate(req: Request, tokenOnly: boolean): Promise<UserPrincipal> {
  const authorization = req.headers.get("authorization");
  if (!authorization && tokenOnly) throw tokenRequired();
  if (authorization) {
    const permission = UNSAFE_METHODS.has(req.method) ? "write" : "read";
    return { userId: await userFromBearer(getDb(), authorization, permission), via: "token" };
  }
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) {
    throw new AppError(
      401,
      "unauthenticated",
      "Sign in, or send an access token as `Authorization: Bearer <token>`.",
    );
  }
  // A session cookie rides along on cross-site requests: changes must come from our own origin.
  if (UNSAFE_METHODS.has(req.method) && !sameOrigin(req)) {
    throw new AppError(
      403,
      "cross_origin",
      "Cross-origin requests cannot change anything with a session cookie.",
    );
  }
  return { userId: session.user.id, via: "session" };
}

function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!origin || origin === "null" || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export { errorResponse };
