import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/app/v1/chat/completions/route";
import * as modelsRoute from "@/app/v1/models/route";
import * as tokens from "@/app/api/settings/tokens/route";
import * as oneSwitch from "@/app/api/settings/providers/[provider]/route";
import { createApiToken } from "@/lib/auth/tokens";
import { periodStart } from "@/lib/kernel/period";
import { callRoute } from "@/lib/testing/call-route";
import { routerClient, routerRefusal } from "@/lib/testing/router-client";
import { testDb } from "@/lib/testing/db";
import { serveRoutes } from "@/lib/testing/serve-routes";
import { ensureTestCatalog, orgAccount } from "@/lib/testing/billing-fixtures";

// Fine-grained access tokens: expiry, permissions and the orgs a token may bill, enforced by the
// router's admission statement and by every JSON API; existing tokens keep every permission.
const db = testDb();
let app: Awaited<ReturnType<typeof serveRoutes>>;
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";
const messages = [{ role: "user" as const, content: "hi" }];

beforeAll(async () => {
  await ensureTestCatalog(db);
  app = await serveRoutes({ "/v1/chat/completions": chat, "/v1/models": modelsRoute });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

const client = (token: string, billTo?: string) => routerClient(app.url, token, billTo);
const ask = (token: string, billTo?: string) =>
  client(token, billTo).chat.completions.create({ model: LLAMA, messages });

describe("access tokens with an expiry, permissions and orgs", () => {
  it("a token past its expiry is refused everywhere with token_expired, holding nothing", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const { token, record } = await createApiToken(db, { userId: org.memberIds[0]!, name: "t" });
    await ask(token); // works until it expires
    await db.apiToken.update({ where: { id: record.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    for (const billTo of [undefined, org.orgName]) {
      const refused = await routerRefusal(ask(token, billTo));
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe("token_expired");
    }
    expect((await routerRefusal(client(token).models.list())).body.code).toBe("token_expired");
    expect((await callRoute(tokens.GET, { token })).status).toBe(401);
    const month = await db.accountPeriod.findFirst({
      where: { accountId: org.accountId, period: periodStart(new Date()) },
    });
    expect(month?.reservedNano ?? 0n).toBe(0n);
  });

  it("permissions: inference calls the router, read the GET APIs, write the changes", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const user = org.memberIds[0]!;
    const readOnly = (await createApiToken(db, { userId: user, name: "r", permissions: ["read"] })).token;
    const inferenceOnly = (await createApiToken(db, { userId: user, name: "i", permissions: ["inference"] }))
      .token;
    expect((await routerRefusal(ask(readOnly))).body).toMatchObject({
      code: "token_scope",
      missing: "inference",
    });
    expect((await callRoute(tokens.GET, { token: readOnly })).status).toBe(200);
    const write = await callRoute(oneSwitch.PUT, {
      method: "PUT",
      token: readOnly,
      params: { provider: "groq" },
      body: { enabled: false },
    });
    expect(write.status).toBe(403);
    expect(write.json.error).toMatchObject({ code: "token_scope" });
    expect(await db.userDisabledProvider.count({ where: { userId: user } })).toBe(0);

    expect((await ask(inferenceOnly)).model).toMatch(/^meta-llama/);
    expect((await client(inferenceOnly).models.list()).data.length).toBeGreaterThan(0);
    expect((await callRoute(tokens.GET, { token: inferenceOnly })).status).toBe(403);
  });

  it("orgs: a token bills only the orgs it names (none for []), and its own account always", async () => {
    const a = await orgAccount(db, "team", 2, 1);
    const b = await orgAccount(db, "team", 2, 0);
    const user = a.memberIds[0]!;
    await db.membership.create({ data: { orgId: b.orgId, userId: user, role: "write" } });
    const onlyA = (await createApiToken(db, { userId: user, name: "a", billToOrgs: [a.orgName] })).token;
    const none = (await createApiToken(db, { userId: user, name: "none", billToOrgs: [] })).token;
    const any = (await createApiToken(db, { userId: user, name: "any" })).token;
    expect((await ask(onlyA, a.orgName)).model).toMatch(/^meta-llama/);
    expect((await routerRefusal(ask(onlyA, b.orgName))).body).toMatchObject({
      code: "token_scope",
      missing: "bill_to",
      org: b.orgName,
    });
    expect((await routerRefusal(ask(none, a.orgName))).status).toBe(403);
    await ask(none);
    await ask(any, b.orgName);
    expect(await db.usageEvent.count({ where: { accountId: b.accountId } })).toBe(1);
  });

  it("POST /api/settings/tokens takes the scope, shows it, and refuses bad values", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const token = (await createApiToken(db, { userId: org.memberIds[0]!, name: "owner" })).token;
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const made = await callRoute(tokens.POST, {
      method: "POST",
      token,
      body: { name: "ci", expiresAt, permissions: ["inference"], billToOrgs: [org.orgName] },
    });
    expect(made.status).toBe(201);
    expect(made.json.record).toMatchObject({
      expiresAt,
      permissions: ["inference"],
      billToOrgs: [org.orgName],
    });
    for (const body of [
      { name: "x", expiresAt: new Date(Date.now() - 60_000).toISOString() },
      { name: "x", permissions: [] },
      { name: "x", permissions: ["admin"] },
      { name: "x", billToOrgs: ["bad org name"] },
      { name: "x", expiresAt: "tomorrow" },
    ]) {
      const res = await callRoute(tokens.POST, { method: "POST", token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await db.apiToken.count({ where: { userId: org.memberIds[0]! } })).toBe(2);
  });
});
