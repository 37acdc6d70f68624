import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as spendingLimit from "@/app/api/organizations/[org]/spending-limit/route";
import * as preview from "@/app/api/organizations/[org]/spending-limit/preview/route";
import * as auditLog from "@/app/api/organizations/[org]/audit-log/route";
import * as usage from "@/app/api/billing/usage/route";
import * as forecast from "@/app/api/billing/forecast/route";
import * as savings from "@/app/api/billing/savings/route";
import * as tokens from "@/app/api/settings/tokens/route";
import * as models from "@/app/v1/models/route";
import * as ownWebhook from "@/app/api/settings/alert-webhook/route";
import { ensureTestCatalog, orgAccount } from "@/lib/testing/billing-fixtures";
import { testDb } from "@/lib/testing/db";
import { userToken } from "@/lib/testing/router-client";

// Issue 18's findings, one request each, as the adversary sent them: each was a 5xx or a lenient
// read, and is now a 4xx that says what is wrong (the fuzzer, fuzz.int.test.ts, tries thousands more).
const db = testDb();
let org: Awaited<ReturnType<typeof orgAccount>>;
let token: string;
beforeAll(async () => {
  await ensureTestCatalog(db);
  org = await orgAccount(db, "team", 2, 1);
  token = await userToken(db, org.memberIds[0]!);
}, 60_000);
afterAll(() => db.$disconnect());

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(
  handler: Handler,
  url: string,
  init: {
    method?: string;
    body?: BodyInit;
    params?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
) {
  const res = await handler(
    new Request(`http://localhost${url}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      body: init.body,
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
  const json = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: json.error?.code, message: json.error?.message, headers: res.headers };
}

describe("issue 18's malformed requests", () => {
  it("a webhook URL with a user name or password is refused, not saved with them dropped", async () => {
    const res = await call(ownWebhook.PUT, "/api/settings/alert-webhook", {
      method: "PUT",
      body: JSON.stringify({ url: "https://user:secret@hooks.example/x" }),
    });
    expect(res).toMatchObject({ status: 400, code: "invalid_request" });
    expect(res.message).toContain("no user name or password");
  });

  it("a NUL in a path value, a query value or a body string is 400 invalid_input, not a database error", async () => {
    expect(
      await call(spendingLimit.GET, "/api/organizations/%00/spending-limit", { params: { org: "\u0000" } }),
    ).toMatchObject({ status: 400, code: "invalid_input" });
    for (const [handler, path] of [
      [usage.GET, "/api/billing/usage"],
      [forecast.GET, "/api/billing/forecast"],
      [savings.GET, "/api/billing/savings"],
    ] as const)
      expect(await call(handler, `${path}?billTo=%00`), path).toMatchObject({
        status: 400,
        code: "invalid_input",
      });
    const nul = await call(tokens.POST, "/api/settings/tokens", {
      method: "POST",
      body: '{"name":"a\\u0000b"}',
    });
    expect(nul).toMatchObject({ status: 400, code: "invalid_input" });
    expect(nul.message).toContain("body.name");
    expect(await db.apiToken.count({ where: { userId: org.memberIds[0]! } })).toBe(1); // the test's own
  });

  it("a query escape that is not UTF-8 is 400 invalid_input, on a route with a query schema or without", async () => {
    expect(await call(usage.GET, "/api/billing/usage?billTo=%ff%fe")).toMatchObject({
      status: 400,
      code: "invalid_input",
    });
    expect(await call(tokens.GET, "/api/settings/tokens?x=%c3")).toMatchObject({
      status: 400,
      code: "invalid_input",
    });
  });

  it("dates outside the calendar or the kept window are 400, not a 500 from SQL or a TypeError", async () => {
    expect(await call(usage.GET, "/api/billing/usage?to=0000-01-01")).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    expect(await call(usage.GET, "/api/billing/usage?from=2026-02-30")).toMatchObject({ status: 400 });
    expect(await call(savings.GET, "/api/billing/savings?from=x&to=y")).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    const old = await call(savings.GET, "/api/billing/savings?from=0000-01");
    expect(old).toMatchObject({ status: 400, code: "invalid_request" });
    expect(old.message).toContain("usage is kept for");
  });

  it("numbers are decimal digits only: 0x10 and an empty value are refused, not read as 16 and 0", async () => {
    const params = { org: org.orgName };
    const url = (q: string) => `/api/organizations/${org.orgName}/spending-limit/preview?${q}`;
    expect(await call(preview.GET, url("limitCents=0x10"), { params })).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    expect(await call(preview.GET, url("limitCents="), { params })).toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    expect((await call(preview.GET, url("limitCents=16"), { params })).status).toBe(200);
    const audit = (q: string) =>
      call(auditLog.GET, `/api/organizations/${org.orgName}/audit-log?${q}`, { params });
    expect(await audit("page=0x1")).toMatchObject({ status: 400, code: "invalid_request" });
    expect((await audit("page=1")).status).toBe(200);
  });

  it("a body over 16 MB is 413 on a route that reads JSON, not 400 invalid_json", async () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x20);
    const res = await call(spendingLimit.PUT, `/api/organizations/${org.orgName}/spending-limit`, {
      method: "PUT",
      body: big,
      params: { org: org.orgName },
      headers: { "content-length": String(big.byteLength) },
    });
    expect(res).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("/v1 answers are not to be cached", async () => {
    const res = await call(models.GET, "/v1/models?x=%ff");
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
