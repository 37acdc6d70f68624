import { z } from "zod";
import { documentedAs, type HttpMethod, type RouteContract } from "@/lib/http/contract";
import { CONTRACTS } from "./contracts";
import { ERROR_CODES, errorBodySchema, type ErrorCode } from "@/lib/http/error-codes";

type JsonSchema = Record<string, unknown>;
type Io = "input" | "output";

export const SESSION_COOKIE = "next-auth.session-token";

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): requests as sent, responses as received. */
export function toJsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: (ctx) => {
      const shown = documentedAs.get(ctx.zodSchema);
      if (!shown) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
      Object.assign(ctx.jsonSchema, toJsonSchema(shown as z.ZodType, io));
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const SECURITY: Record<RouteContract["auth"], Record<string, string[]>[]> = {
  user: [{ sessionCookie: [] }, { accessToken: [] }],
  token: [{ accessToken: [] }],
  service: [{ serviceToken: [] }],
  public: [],
};

const UNSAFE = new Set<HttpMethod>(["POST", "PUT", "PATCH", "DELETE"]);

/** The codes an operation answers beyond its own: those of its auth, its schemas, and the server's. */
export function errorCodesOf(c: RouteContract): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  if (c.params || c.query || c.body || c.headers) codes.add("invalid_request");
  // Every route: a query that is not UTF-8 (or text with NUL in any part), a body over the bound.
  codes.add("invalid_input").add("payload_too_large");
  if (c.body) codes.add("invalid_json");
  if (c.auth !== "public") {
    if (c.auth !== "service") codes.add("unauthenticated");
    codes.add("invalid_token").add("forbidden"); // forbidden: the other kind of token
    // A user access token can expire, and may lack the permission (or the org) the call needs.
    if (c.auth !== "service") codes.add("token_expired").add("token_scope");
  }
  if (c.auth === "user" && UNSAFE.has(c.method)) codes.add("cross_origin");
  for (const code of c.errors) codes.add(code);
  codes.add("internal_error");
  if (c.auth !== "public") codes.add("service_unavailable");
  return [...codes].sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status || a.localeCompare(b));
}

function parameters(c: RouteContract) {
  const out: Record<string, unknown>[] = [];
  const add = (where: "path" | "query" | "header", schema: z.ZodType | undefined, example?: unknown) => {
    if (!schema) return;
    const json = toJsonSchema(schema, "input");
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    const examples = (example ?? {}) as Record<string, unknown>;
    for (const [name, property] of Object.entries(properties)) {
      const exampleKey = Object.keys(examples).find((k) => k.toLowerCase() === name.toLowerCase());
      out.push({
        name,
        in: where,
        required: where === "path" || required.has(name),
        ...(typeof property.description === "string" ? { description: property.description } : {}),
        schema: property,
        ...(exampleKey !== undefined ? { example: examples[exampleKey] } : {}),
      });
    }
  };
  add("path", c.params, c.example?.params);
  add("query", c.query, c.example?.query);
  add("header", c.headers, c.example?.headers);
  return out;
}

function successResponse(c: RouteContract) {
  const r = c.response;
  if (r.status === 204) return { "204": { description: r.description } };
  if ("contentType" in r) return { "200": { description: r.description, content: { [r.contentType]: {} } } };
  const json = {
    schema: toJsonSchema(r.schema, "output"),
    ...(c.example?.response !== undefined ? { example: c.example.response } : {}),
  };
  return {
    [String(r.status)]: {
      description: r.eventStream ? `${r.description} ${r.eventStream}` : r.description,
      content: {
        "application/json": json,
        ...(r.eventStream ? { "text/event-stream": { schema: { type: "string" } } } : {}),
      },
    },
  };
}

function errorResponses(c: RouteContract) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(c)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((code) => `\`${code}\`: ${ERROR_CODES[code].when}`).join(" "),
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/Error" },
            examples: Object.fromEntries(
              codes.map((code) => [code, { value: { error: { code, message: ERROR_CODES[code].example } } }]),
            ),
          },
        },
      },
    ]),
  );
}

function operation(id: string, c: RouteContract) {
  return {
    operationId: id,
    tags: [c.tag],
    summary: c.summary,
    ...(c.description ? { description: c.description } : {}),
    security: SECURITY[c.auth],
    ...(parameters(c).length ? { parameters: parameters(c) } : {}),
    ...(c.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: toJsonSchema(c.body, "input"),
                ...(c.example?.body !== undefined ? { example: c.example.body } : {}),
              },
            },
          },
        }
      : {}),
    responses: { ...successResponse(c), ...errorResponses(c) },
  };
}

/** The OpenAPI 3.1 document of the whole HTTP API, generated from the route contracts. Deterministic. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { id, contract } of [...CONTRACTS].sort((a, b) =>
    a.contract.path.localeCompare(b.contract.path),
  )) {
    (paths[contract.path] ??= {})[contract.method.toLowerCase()] = operation(id, contract);
  }
  const tags = [...new Set(CONTRACTS.map((c) => c.contract.tag))].map((name) => ({ name }));
  return {
    openapi: "3.1.1",
    info: {
      title: "Inference billing & usage API",
      version: "1",
      description:
        'Usage, billing, organization controls, provider keys, access tokens and the OpenAI-compatible router. Errors are always `{"error": {"code", "message", ...details}}`. Sign-in endpoints under `/api/auth/*` belong to next-auth and are not part of this API.',
    },
    servers: [{ url: "/" }],
    tags,
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorBodySchema, "output") },
      securitySchemes: {
        accessToken: {
          type: "http",
          scheme: "bearer",
          description: "A user access token (create one at /settings/tokens): `Authorization: Bearer hf_…`.",
        },
        serviceToken: {
          type: "http",
          scheme: "bearer",
          description:
            "A service token for usage ingestion: `npm run admin -- create-service-token --name N`.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description:
            "The browser session after signing in at /login (`__Secure-` prefixed over HTTPS). Changes must come from the app's own origin.",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
