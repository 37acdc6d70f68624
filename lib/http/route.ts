import "server-only";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { authOptions } from "@/lib/auth/options";
import { authenticateApiToken, type TokenPrincipal } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { AppError, errorBody } from "./errors";
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

const RETRY_AFTER_SECONDS = 2;
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

export function errorResponse(e: unknown): Response {
  if (e instanceof AppError) {
    const headers: Record<string, string> = {};
    if (e.status === 401) headers["www-authenticate"] = 'Bearer realm="api"';
    return jsonResponse(errorBody(e), { status: e.status, headers });
  }
  if (isDatabaseUnavailable(e)) {
    // Every write is one transaction, so nothing was half-written: the same request can be sent again.
    console.warn("[api] database unavailable:", e instanceof Error ? e.message : e);
    return jsonResponse(
      {
        error: {
          code: "service_unavailable",
          message: "The billing database is unavailable for a moment. Retry in a few seconds.",
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        },
      },
      { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
    );
  }
  console.error("[api] unexpected error", e);
  return jsonResponse(
    {
      error: { code: "internal_error", message: "Something went wrong on our side. Try again in a moment." },
    },
    { status: 500 },
  );
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
  if (!authorization && tokenOnly) {
    throw new AppError(
      401,
      "unauthenticated",
      "Send an access token as `Authorization: Bearer <token>`. Create one at /settings/tokens.",
    );
  }
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const principal: TokenPrincipal | null = match ? await authenticateApiToken(getDb(), match[1]!) : null;
    if (!principal) {
      throw new AppError(
        401,
        "invalid_token",
        "The access token is malformed or revoked. Create one at /settings/tokens.",
      );
    }
    if (principal.kind !== "user") {
      throw new AppError(403, "forbidden", "Service tokens cannot act as a user; use a user access token.");
    }
    return { userId: principal.userId, via: "token" };
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

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new AppError(400, "invalid_request", `The request ${where} is invalid. ${summary}`, { issues });
}
