import { CONTRACTS } from "./contracts";
import { ERROR_CODES } from "@/lib/http/error-codes";
import { errorCodesOf, toJsonSchema } from "./openapi";
import { schemaFields, type FieldRow } from "./schema-fields";

export interface ParameterRow extends FieldRow {
  in: "path" | "query" | "header";
}

/** One operation as the API reference page shows it. */
export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  auth: string;
  parameters: ParameterRow[];
  body: FieldRow[] | null;
  response: { status: number; description: string; contentType: string; fields: FieldRow[] };
  /** The request line of the example: `GET /api/billing/invoices/INV-202610-000042?org=acme-ai`. */
  exampleCall: string;
  requestExample: string | null;
  responseExample: string | null;
  errors: { status: number; codes: string[] }[];
}

export interface TagView {
  name: string;
  operations: OperationView[];
}

const AUTH_LABELS = {
  user: "Session cookie or access token",
  token: "Access token (Authorization: Bearer)",
  service: "Service token (Authorization: Bearer)",
  public: "None",
} as const;

const json = (v: unknown) => JSON.stringify(v, null, 2);

function parameterRows(where: ParameterRow["in"], schema: Parameters<typeof toJsonSchema>[0] | undefined) {
  if (!schema) return [];
  const rows = schemaFields(toJsonSchema(schema, "input")).filter((r) => !r.name.includes("."));
  return rows.map((r) => ({ ...r, in: where, required: where === "path" || r.required }));
}

function exampleCall(method: string, path: string, params: unknown, query: unknown): string {
  const values = (params ?? {}) as Record<string, string>;
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? `{${name}}`),
  );
  const search = new URLSearchParams((query ?? {}) as Record<string, string>).toString();
  return `${method} ${url}${search ? `?${search}` : ""}`;
}

/** The reference, grouped by tag in the document's order: built from the same contracts as /api/openapi.json. */
export function referenceView(): TagView[] {
  const tags = new Map<string, OperationView[]>();
  for (const { id, contract: c } of CONTRACTS) {
    const r = c.response;
    const byStatus = new Map<number, string[]>();
    for (const code of errorCodesOf(c)) {
      const status = ERROR_CODES[code].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    const ex = c.example;
    const view: OperationView = {
      id,
      method: c.method,
      path: c.path,
      summary: c.summary,
      description: c.description ?? null,
      auth: AUTH_LABELS[c.auth],
      parameters: [
        ...parameterRows("path", c.params),
        ...parameterRows("query", c.query),
        ...parameterRows("header", c.headers),
      ],
      body: c.body ? schemaFields(toJsonSchema(c.body, "input")) : null,
      response: {
        status: r.status,
        description:
          "eventStream" in r && r.eventStream ? `${r.description} ${r.eventStream}` : r.description,
        contentType: "contentType" in r ? r.contentType : r.status === 204 ? "none" : "application/json",
        fields: "schema" in r ? schemaFields(toJsonSchema(r.schema, "output")) : [],
      },
      exampleCall: exampleCall(c.method, c.path, ex?.params, ex?.query),
      requestExample: ex?.body !== undefined ? json(ex.body) : null,
      responseExample: ex?.response !== undefined ? json(ex.response) : null,
      errors: [...byStatus].map(([status, codes]) => ({ status, codes })),
    };
    tags.set(c.tag, [...(tags.get(c.tag) ?? []), view]);
  }
  return [...tags].map(([name, operations]) => ({ name, operations }));
}
