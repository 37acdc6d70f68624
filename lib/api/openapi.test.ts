import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { appHandler, appRoutes, NOT_IN_API as EXCLUDED } from "@/lib/testing/app-routes";
import { CONTRACTS } from "./contracts";
import { ERROR_CODES, errorBodySchema } from "@/lib/http/error-codes";
import { errorCodesOf, openApiDocument } from "./openapi";

const key = (method: string, p: string) => `${method.toUpperCase()} ${p}`;
const doc = openApiDocument();
const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => key(m, p)));

describe("every route in the app is in the OpenAPI document, and only those", () => {
  it("finds the app's route handlers", () => {
    // The scan itself must work: a broken glob would make the comparison below vacuous.
    expect(appRoutes.length).toBeGreaterThan(20);
    expect(appRoutes.map((r) => key(r.method, r.path))).toContain("POST /v1/chat/completions");
    expect(appRoutes.map((r) => key(r.method, r.path))).toContain("GET /api/billing/invoices/{number}");
  });

  it("documents each route once, and nothing that is not a route", () => {
    const inApp = appRoutes.filter((r) => !EXCLUDED.has(r.path)).map((r) => key(r.method, r.path));
    expect([...documented].sort()).toEqual([...inApp].sort());
    expect(new Set(CONTRACTS.map((c) => key(c.contract.method, c.contract.path))).size).toBe(
      CONTRACTS.length,
    );
    expect(new Set(CONTRACTS.map((c) => c.id)).size).toBe(CONTRACTS.length);
  });

  it("each handler serves the very contract its path and method are documented with", async () => {
    for (const r of appRoutes.filter((r) => !EXCLUDED.has(r.path))) {
      const served = (await appHandler(r))?.contract;
      expect(served, `${r.method} ${r.path} exports no contract`).toBeDefined();
      expect(key(served!.method, served!.path), r.file).toBe(key(r.method, r.path));
    }
  }, 60_000);

  it("names every path parameter of the template in its params schema", () => {
    for (const { contract: c } of CONTRACTS) {
      const inTemplate = [...c.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const op = (
        doc.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>
      )[c.path]![c.method.toLowerCase()]!;
      const inDoc = (op.parameters ?? [])
        .filter((p) => p.in === "path")
        .map((p) => p.name)
        .sort();
      expect(inDoc, `${c.method} ${c.path}`).toEqual(inTemplate);
    }
  });
});

describe("examples validate against the schemas the routes validate with", () => {
  for (const { id, contract: c } of CONTRACTS) {
    it(`${id}: ${c.method} ${c.path}`, () => {
      const ex = c.example ?? {};
      // An operation that takes input or answers JSON shows an example of it.
      if (c.params) expect(c.params.safeParse(ex.params).error).toBeUndefined();
      if (c.query) expect(c.query.safeParse(ex.query ?? {}).error).toBeUndefined();
      if (c.body) expect(c.body.safeParse(ex.body).error).toBeUndefined();
      if (c.headers) {
        const lower = Object.fromEntries(
          Object.entries(ex.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        );
        expect(c.headers.safeParse(lower).error).toBeUndefined();
      }
      if ("schema" in c.response && id !== "getOpenApi") {
        expect(ex.response, "a JSON response has an example").toBeDefined();
        expect(c.response.schema.safeParse(ex.response).error).toBeUndefined();
      }
    });
  }

  it("the document itself passes its own response schema", () => {
    const reference = CONTRACTS.find((c) => c.id === "getOpenApi")!.contract;
    expect("schema" in reference.response && reference.response.schema.safeParse(doc).success).toBe(true);
  });

  it("each error example is an error body with its code, under its code's status", () => {
    for (const { contract: c } of CONTRACTS) {
      const op = (doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[
        c.path
      ]![c.method.toLowerCase()]!;
      for (const code of errorCodesOf(c)) {
        const response = op.responses[String(ERROR_CODES[code].status)] as {
          content: { "application/json": { examples: Record<string, { value: unknown }> } };
        };
        const example = response.content["application/json"].examples[code]!.value;
        expect(errorBodySchema.parse(example).error.code).toBe(code);
      }
    }
  });

  it("a wrong example fails: the check can catch one", () => {
    const limit = CONTRACTS.find((c) => c.id === "setOrgSpendingLimit")!.contract;
    expect(limit.body!.safeParse({ limitCents: -1 }).success).toBe(false);
    const overview = CONTRACTS.find((c) => c.id === "getBillingOverview")!.contract;
    expect(
      "schema" in overview.response && overview.response.schema.safeParse({ kind: "user" }).success,
    ).toBe(false);
  });
});

describe("the document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(openApiDocument())).toBe(JSON.stringify(doc));
  });

  it("secures each operation by its auth, and leaves only the reference public", () => {
    const ops = Object.values(doc.paths).flatMap((o) => Object.values(o)) as {
      operationId: string;
      security: unknown[];
    }[];
    expect(ops.filter((o) => o.security.length === 0).map((o) => o.operationId)).toEqual(["getOpenApi"]);
    const chat = (doc.paths as Record<string, Record<string, { security: unknown }>>)["/v1/chat/completions"]!
      .post!;
    expect(chat.security).toEqual([{ accessToken: [] }]);
  });
});
