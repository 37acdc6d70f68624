import type { z } from "zod";
import type { ErrorCode } from "@/lib/http/error-codes";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * "user": a session cookie or a user access token. "token": a user access token only (the
 * inference API: billable calls never ride on a browser's cookie). "service": a service token.
 * "public": no credentials.
 */
export type Auth = "user" | "token" | "service" | "public";

/** What a successful call answers: a JSON body, nothing (204), or a file. */
export type ResponseSpec =
  | {
      status: 200 | 201;
      schema: z.ZodType;
      description: string;
      /** Set when `stream: true` answers Server-Sent Events instead: what the events carry. */
      eventStream?: string;
    }
  | { status: 204; description: string }
  | { status: 200; contentType: "application/pdf"; description: string };

type JsonOf<R> = R extends { schema: infer S extends z.ZodType } ? z.input<S> : never;

/**
 * One operation of the HTTP API, declared once: the route handler validates with these schemas
 * and the OpenAPI document (lib/api/openapi.ts) is generated from them. Modules holding
 * contracts import nothing of Next.js or the database, so the generator can read them all.
 */
export interface RouteContract<
  A extends Auth = Auth,
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends ResponseSpec = ResponseSpec,
> {
  method: HttpMethod;
  /** OpenAPI path template: `/api/billing/invoices/{number}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the operation reads (documentation; the handler validates them itself). */
  headers?: z.ZodObject;
  response: R;
  /**
   * The domain errors this operation can answer. Those that follow from its auth and schemas
   * (unauthenticated, invalid_request, ...) and the server's own (internal_error,
   * service_unavailable) are added by the generator.
   */
  errors: readonly ErrorCode[];
  /** A request that passes the schemas above, and a response the response schema accepts. */
  example?: {
    params?: z.input<P>;
    query?: z.input<Q>;
    body?: z.input<B>;
    headers?: Record<string, string>;
    response?: JsonOf<R>;
  };
}

/** Declares a contract, keeping its schemas' types for route() and the examples. */
export function defineContract<
  A extends Auth,
  P extends z.ZodType = z.ZodType<unknown>,
  Q extends z.ZodType = z.ZodType<unknown>,
  B extends z.ZodType = z.ZodType<unknown>,
  R extends ResponseSpec = ResponseSpec,
>(contract: RouteContract<A, P, Q, B, R>): RouteContract<A, P, Q, B, R> {
  return contract;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A response schema that must describe the domain's own type `T`: if either changes without the
 * other, this call stops compiling (a second argument would be required), so the document
 * cannot drift from what the handler returns.
 */
export function describes<T>() {
  return <S extends z.ZodType>(schema: S, ..._same: Same<z.input<S>, T> extends true ? [] : [drift: never]) =>
    schema;
}

/** The contract a handler serves, attached to it so a test can check the route and the document agree. */
export type WithContract<F> = F & { contract: RouteContract };

export function withContract<F extends (...args: never[]) => unknown>(
  contract: RouteContract,
  handler: F,
): WithContract<F> {
  return Object.assign(handler, { contract });
}

/**
 * For a part validated in two steps (the ingest batch takes `z.unknown()` events and checks each
 * on its own, to answer per-event errors): the schema the document shows in its place.
 */
export const documentedAs = new WeakMap<z.core.$ZodType, z.core.$ZodType>();

export function documentAs<S extends z.ZodType>(validated: S, shown: z.ZodType): S {
  documentedAs.set(validated, shown);
  return validated;
}
