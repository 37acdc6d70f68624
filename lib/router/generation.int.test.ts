import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/app/v1/chat/completions/route";
import * as generation from "@/app/v1/generation/route";
import { settleUsage } from "@/lib/ledger/settle";
import { routerClient, userToken } from "@/lib/testing/router-client";
import { testDb } from "@/lib/testing/db";
import { serveRoutes } from "@/lib/testing/serve-routes";
import type { Generation } from "./generation-wire";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";

// GET /v1/generation over real HTTP, for requests the router served (sandbox providers) and an
// external router reported, on the real database.
const db = testDb();
let app: Awaited<ReturnType<typeof serveRoutes>>;
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";
const messages = [{ role: "user" as const, content: "What did this request cost?" }];

beforeAll(async () => {
  await ensureTestCatalog(db);
  app = await serveRoutes({ "/v1/chat/completions": chat, "/v1/generation": generation });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

const tokenFor = (userId: string) => userToken(db, userId);
const openai = (token: string, billTo?: string) => routerClient(app.url, token, billTo);
const lookup = async (token: string, id: string) => {
  const res = await fetch(`${app.url}/v1/generation?id=${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as { data: Generation; error: { code: string } } };
};
const costOf = (usage: unknown) => (usage as { cost: unknown }).cost;

describe("GET /v1/generation", () => {
  it("finds a request by its answer's id, with the same cost as the answer", async () => {
    const user = await userAccount(db, "pro");
    const token = await tokenFor(user.userId);
    const res = await openai(token).chat.completions.create({ model: LLAMA, messages, max_tokens: 40 });

    const { status, body } = await lookup(token, res.id);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      id: res.id,
      model: LLAMA,
      provider_name: res.model.split(":")[1],
      mode: "routed",
      streamed: false,
      tokens_prompt: res.usage!.prompt_tokens,
      tokens_completion: res.usage!.completion_tokens,
      cost: costOf(res.usage),
    });
    expect(body.data.latency).toBeGreaterThanOrEqual(0);
    // The bare request id names it too.
    expect((await lookup(token, res.id.replace(/^chatcmpl-/, ""))).body.data.id).toBe(res.id);
  });

  it("says a streamed request was streamed, at the cost of its final usage chunk", async () => {
    const user = await userAccount(db, "pro");
    const token = await tokenFor(user.userId);
    const stream = await openai(token).chat.completions.create({
      model: LLAMA,
      messages,
      max_tokens: 40,
      stream: true,
    });
    let id = "";
    let usage: unknown;
    for await (const chunk of stream) {
      id = chunk.id;
      if (chunk.usage) usage = chunk.usage;
    }
    const { body } = await lookup(token, id);
    expect(body.data).toMatchObject({ id, streamed: true, cost: costOf(usage) });
  });

  it("shows an org's requests to the member who made them and to its admins, to no one else", async () => {
    const org = await orgAccount(db, "team", 3, 3);
    const [admin, member, other] = await Promise.all(org.memberIds.map(tokenFor));
    const res = await openai(member!, org.orgName).chat.completions.create({
      model: LLAMA,
      messages,
      max_tokens: 20,
    });
    expect((await lookup(member!, res.id)).body.data.cost).toMatchObject({
      billed_to: { type: "org", name: org.orgName },
    });
    expect((await lookup(admin!, res.id)).status).toBe(200);
    const outsider = await tokenFor((await userAccount(db, "pro")).userId);
    for (const token of [other!, outsider]) {
      const refused = await lookup(token, res.id);
      expect(refused.status).toBe(404);
      expect(refused.body.error).toMatchObject({ code: "generation_not_found" });
    }
  });

  it("reports an external router's event with its own id, streamed and latency unknown", async () => {
    const user = await userAccount(db, "pro");
    const event = routedUsage(user.accountId, user.userId, new Date(), 3);
    await settleUsage(db, [event]);
    const { body } = await lookup(await tokenFor(user.userId), event.id);
    expect(body.data).toMatchObject({
      id: event.id,
      streamed: null,
      latency: null,
      cost: { billed_usd: "0.03", mode: "routed", billed_to: { type: "user" } },
    });
  });

  it("answers bad and unknown ids with the error shape, never a 5xx", async () => {
    const token = await tokenFor((await userAccount(db, "pro")).userId);
    for (const id of ["a\u0000b", "", "x".repeat(500), "chatcmpl-", "héllo"]) {
      const { status, body } = await lookup(token, id);
      expect(status, id).toBe(400);
      expect(body.error.code).toBe(id.includes("\u0000") ? "invalid_input" : "invalid_request");
    }
    const missing = await fetch(`${app.url}/v1/generation`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(400);
    expect((await lookup(token, "chatcmpl-00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const anonymous = await fetch(`${app.url}/v1/generation?id=x`);
    expect(anonymous.status).toBe(401);
  });
});
