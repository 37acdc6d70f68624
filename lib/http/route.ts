import "server-only";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { authOptions } from "@/lib/auth/options";
import { authenticateApiToken } from "@/lib/auth/tokens";
import { tokenRequired, userFromBearer } from "@/lib/auth/bearer";
import { getDb } from "@/lib/db/client";
import { AppError } from "./errors";
import { errorResponse } from "./error-response";
import { parse, readJson } from "./parse";
import { jsonResponse } from "./json";

type Auth = "user" | "token" | "service";
type UserPrincipal = { userId: string; via: "session" | "token" };
type ServicePrincipal = { serviceTokenId: string };
type Principal<A extends Auth> = A extends "service" ? ServicePrincipal : UserPrincipal;

interface RouteSpec<A extends Auth, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /**
   * "user": a session cookie or a user access token. "token": a user access token only (the
   * inference API: billable calls never ride on a browser's cookie). "service": a service token.
   */
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
}

interface RouteContext<A extends Auth, P, Q, B> {
  req: Request;
  principal: Principal<A>;
  params: P;
  query: Q;
  body: B;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A route handler that declares its contract up front: who may call it and the zod schemas of
 * its params, query and body. Every failure leaves as {"error": {code, message, ...}}; an
 * unexpected error is logged and answered with a generic message, never its own text.
 */
export function route<
  A extends Auth,
  P extends z.ZodType = z.ZodType<unknown>,
  Q extends z.ZodType = z.ZodType<unknown>,
  B extends z.ZodType = z.ZodType<unknown>,
>(
  spec: RouteSpec<A, P, Q, B>,
  handler: (ctx: RouteContext<A, z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>,
) {
  return async (
    req: Request,
    ctx: { params: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    try {
      const principal = (
        spec.auth === "service"
          ? await authenticateService(req)
          : await authenticate(req, spec.auth === "token")
      ) as Principal<A>;
      const params = spec.params ? parse(spec.params, await ctx.params, "path") : undefined;
      const query = spec.query
        ? parse(spec.query, Object.fromEntries(new URL(req.url).searchParams), "query")
        : undefined;
      const body = spec.body ? parse(spec.body, await readJson(req), "body") : undefined;
      const result = await handler({ req, principal, params, query, body } as RouteContext<
        A,
        z.infer<P>,
        z.infer<Q>,
        z.infer<B>
      >);
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return jsonResponse(result);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

async function authenticateService(req: Request): Promise<ServicePrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  const principal = match ? await authenticateApiToken(getDb(), match[1]!) : null;
  if (!principal)
    throw new AppError(401, "invalid_token", "Send a service token as `Authorization: Bearer <token>`.");
  if (principal.kind !== "service")
    throw new AppError(403, "forbidden", "This endpoint needs a service token, not a user token.");
  return { serviceTokenId: principal.tokenId };
}

async function authenticate(req: Request, tokenOnly: boolean): Promise<UserPrincipal> {
  const authorization = req.headers.get("authorization");
  if (!authorization && tokenOnly) throw tokenRequired();
  if (authorization) return { userId: await userFromBearer(getDb(), authorization), via: "token" };
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
