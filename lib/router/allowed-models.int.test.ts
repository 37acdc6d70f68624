import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/app/v1/chat/completions/route";
import * as models from "@/app/api/organizations/[org]/models/route";
import { POST as holdRoute } from "@/app/api/usage/holds/route";
import { createServiceToken } from "@/lib/auth/tokens";
import { ingestUsage } from "@/lib/usage/ingest";
import { callRoute } from "@/lib/testing/call-route";
import { routerClient, routerRefusal, userToken } from "@/lib/testing/router-client";
import { testDb } from "@/lib/testing/db";
import { serveRoutes } from "@/lib/testing/serve-routes";
import { ensureTestCatalog, orgAccount, userAccount } from "@/lib/testing/billing-fixtures";

// An org's allowed models: the API, and every way a request is billed obeying them (the router,
// holds for external routers, ingestion).
const db = testDb();
let app: Awaited<ReturnType<typeof serveRoutes>>;
let service: string;
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";
const R1 = "deepseek-ai/DeepSeek-R1";
const messages = [{ role: "user" as const, content: "hi" }];

beforeAll(async () => {
  await ensureTestCatalog(db);
  service = (await createServiceToken(db, { name: "allowlist-router" })).token;
  app = await serveRoutes({ "/v1/chat/completions": chat });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

const tokenFor = (userId: string) => userToken(db, userId);
const put = (token: string, org: string, body: unknown) =>
  callRoute(models.PUT, { method: "PUT", token, params: { org }, body });
const get = (token: string, org: string) => callRoute(models.GET, { token, params: { org } });

describe("an org's allowed models", () => {
  it("admins set and read them; 20 identical saves change and audit once; null allows all again", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    const admin = await tokenFor(org.memberIds[0]!);
    expect((await get(admin, org.orgName)).json).toEqual({ allowed: null });
    const saves = await Promise.all(
      Array.from({ length: 20 }, () => put(admin, org.orgName, { allowed: [LLAMA, LLAMA] })),
    );
    expect(saves.map((s) => s.status)).toEqual(Array(20).fill(200));
    expect((await get(admin, org.orgName)).json).toEqual({ allowed: [LLAMA] });
    expect(
      await db.auditLog.count({ where: { accountId: org.accountId, action: "allowed_models.update" } }),
    ).toBe(1);
    expect((await put(admin, org.orgName, { allowed: null })).json).toEqual({ allowed: null });
    expect(await db.allowedModel.count({ where: { accountId: org.accountId } })).toBe(0);
  });

  it("refuses non-admins and bad input with the error shape, changing nothing", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    const admin = await tokenFor(org.memberIds[0]!);
    const writer = await tokenFor(org.memberIds[1]!);
    expect((await put(writer, org.orgName, { allowed: [LLAMA] })).status).toBe(403);
    expect((await get(writer, org.orgName)).status).toBe(403);
    for (const [body, code] of [
      [{ allowed: [] }, "invalid_request"],
      [{ allowed: ["acme/unknown"] }, "unknown_model"],
      [{ allowed: ["a\u0000b"] }, "invalid_input"],
      [{ allowed: "all" }, "invalid_request"],
      [{}, "invalid_request"],
    ] as const) {
      const res = await put(admin, org.orgName, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code).toBe(code);
    }
    expect(await db.allowedModel.count({ where: { accountId: org.accountId } })).toBe(0);
  });

  it("the router refuses another model billed to the org, and not the member's own requests", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    await put(await tokenFor(org.memberIds[0]!), org.orgName, { allowed: [LLAMA] });
    const token = await tokenFor(org.memberIds[1]!);
    const billed = routerClient(app.url, token, org.orgName);
    expect((await billed.chat.completions.create({ model: LLAMA, messages })).model).toMatch(/^meta-llama/);
    for (const stream of [false, true]) {
      const refused = await routerRefusal(billed.chat.completions.create({ model: R1, messages, stream }));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: "model_not_allowed", model: R1, org: org.orgName });
    }
    const own = routerClient(app.url, token);
    expect((await own.chat.completions.create({ model: R1, messages })).model).toMatch(/^deepseek-ai/);
    const month = await db.accountPeriod.findFirst({ where: { accountId: org.accountId } });
    expect(month?.reservedNano ?? 0n).toBe(0n); // a refused request holds nothing
  });

  it("holds and ingestion for external routers obey them as the router does", async () => {
    const org = await orgAccount(db, "team", 2, 1);
    await put(await tokenFor(org.memberIds[0]!), org.orgName, { allowed: [LLAMA] });
    const base = { userId: org.memberIds[0]!, billTo: org.orgName, provider: "together", mode: "routed" };
    const held = await callRoute(holdRoute, {
      method: "POST",
      token: service,
      body: { ...base, model: R1, inputTokens: 100, outputTokens: 100 },
    });
    expect(held.status).toBe(403);
    expect(held.json.error?.code).toBe("model_not_allowed");
    const { results } = await ingestUsage(db, [
      {
        ...base,
        id: `allow-${randomUUID()}`,
        model: R1,
        inputTokens: 10,
        occurredAt: new Date().toISOString(),
      },
      {
        ...base,
        id: `allow-${randomUUID()}`,
        model: LLAMA,
        inputTokens: 10,
        occurredAt: new Date().toISOString(),
      },
    ]);
    expect(results.map((r) => [r.status, "code" in r ? r.code : null])).toEqual([
      ["refused", "model_not_allowed"],
      ["recorded", null],
    ]);
  });

  it("a plain user account has no allowlist: every model goes", async () => {
    const user = await userAccount(db, "pro");
    const client = routerClient(app.url, await tokenFor(user.userId));
    expect((await client.chat.completions.create({ model: R1, messages })).model).toMatch(/^deepseek-ai/);
  });
});
