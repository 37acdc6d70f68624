import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { InferenceClient, InferenceClientProviderApiError } from "@huggingface/inference";
import * as chat from "@/app/v1/chat/completions/route";
import * as models from "@/app/v1/models/route";
import { testDb } from "@/lib/testing/db";
import { serveRoutes } from "@/lib/testing/serve-routes";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { createApiToken } from "@/lib/auth/tokens";
import { setProviderKey } from "@/lib/keys/provider-keys";
import { setProviderPreferences } from "@/lib/keys/provider-preferences";
import { providerKeyRing } from "@/lib/keys/key-ring";
import { setProviderEnabled, setSpendingLimit } from "@/lib/org-controls/controls";
import { settleUsage } from "@/lib/ledger/settle";
import { periodStart } from "@/lib/kernel/period";
import { addMember } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { uniqueEmail } from "@/lib/testing/db";
import { tokenCostNano } from "@/lib/pricing/rate";
import { sandboxAnswer, sandboxTokensPerSecond } from "./sandbox";

// The OpenAI and Hugging Face clients against the router over real HTTP; providers in sandbox
// mode (no platform credential configured), the real database behind.
const db = testDb();
let app: Awaited<ReturnType<typeof serveRoutes>>;
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";

beforeAll(async () => {
  await ensureTestCatalog(db);
  app = await serveRoutes({ "/v1/chat/completions": chat, "/v1/models": models });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

async function tokenFor(userId: string) {
  return (await createApiToken(db, { userId, name: "test" })).token;
}
const openai = (token: string, headers: Record<string, string> = {}) =>
  new OpenAI({ apiKey: token, baseURL: `${app.url}/v1`, defaultHeaders: headers, maxRetries: 0 });

async function month(accountId: string) {
  return db.accountPeriod.findUnique({
    where: { accountId_period: { accountId, period: periodStart(new Date()) } },
  });
}

/** Sum of events = month counters = daily rollups, for one account, to the nano-dollar. */
async function expectLedgerAgrees(accountId: string) {
  const [events] = await db.$queryRaw<{ credits: bigint; payg: bigint; n: bigint }[]>`
    SELECT coalesce(sum(credits_nano), 0)::bigint AS credits, coalesce(sum(payg_nano), 0)::bigint AS payg, count(*) AS n
    FROM usage_events WHERE account_id = ${accountId}::uuid`;
  const [rollups] = await db.$queryRaw<{ credits: bigint; payg: bigint }[]>`
    SELECT coalesce(sum(credits_nano), 0)::bigint AS credits, coalesce(sum(payg_nano), 0)::bigint AS payg
    FROM usage_daily WHERE account_id = ${accountId}::uuid`;
  const m = await month(accountId);
  expect(rollups).toEqual({ credits: events!.credits, payg: events!.payg });
  expect({ credits: m?.creditsUsedNano ?? 0n, payg: m?.paygNano ?? 0n }).toEqual({
    credits: events!.credits,
    payg: events!.payg,
  });
  expect(m?.reservedNano ?? 0n).toBe(0n); // every hold settled or released
  return events!;
}

async function apiError(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof OpenAI.APIError)
      return { status: e.status, body: e.error as { code: string; message: string } };
    throw e;
  }
  throw new Error("expected the request to be refused");
}

describe("POST /v1/chat/completions with the openai client", () => {
  it("bills the caller, reports the cost in usage, and records the event", async () => {
    const user = await userAccount(db, "pro");
    const messages = [{ role: "user" as const, content: "Say hello to the billing team." }];
    const res = await openai(await tokenFor(user.userId)).chat.completions.create({
      model: LLAMA,
      messages,
      max_tokens: 50,
    });
    const cost = (res.usage as unknown as { cost: Record<string, unknown> }).cost;
    expect(res.choices[0]!.message.content).toBeTruthy();
    expect(res.model).toMatch(new RegExp(`^${LLAMA}:`));
    expect(cost).toMatchObject({ mode: "routed", billed_to: { type: "user" } });
    expect(cost.billed_usd).toBe(cost.list_price_usd);
    expect(cost.pay_as_you_go_usd).toBe("0.0"); // within PRO's $2 of credits

    const [event] = await db.usageEvent.findMany({ where: { accountId: user.accountId } });
    expect(event).toMatchObject({
      modelId: LLAMA,
      providerId: res.model.split(":")[1],
      inputTokens: res.usage!.prompt_tokens,
      outputTokens: res.usage!.completion_tokens,
      mode: "routed",
    });
    expect(`0.${event!.costNano.toString().padStart(9, "0")}`.replace(/0+$/, "")).toBe(cost.list_price_usd);
    await expectLedgerAgrees(user.accountId);
  });

  it("streams with a final usage chunk, billed to the org named by X-HF-Bill-To", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    const client = openai(await tokenFor(org.memberIds[1]!), { "X-HF-Bill-To": org.orgName });
    const messages = [{ role: "user" as const, content: "Stream a short answer, please." }];
    const stream = await client.chat.completions.create({
      model: `${LLAMA}:together`,
      messages,
      max_tokens: 40,
      stream: true,
    });
    let text = "";
    let usage: (OpenAI.CompletionUsage & { cost?: Record<string, unknown> }) | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    const expected = sandboxAnswer({ model: LLAMA, messages, max_tokens: 40 });
    expect(text).toBe(expected.content);
    expect(usage).toMatchObject({
      prompt_tokens: expected.promptTokens,
      completion_tokens: expected.completionTokens,
      cost: { mode: "routed", provider: "together", billed_to: { type: "org", name: org.orgName } },
    });
    const events = await db.usageEvent.findMany({ where: { accountId: org.accountId } });
    expect(events).toHaveLength(1);
    expect(events[0]!.userId).toBe(org.memberIds[1]);
    await expectLedgerAgrees(org.accountId);
  });

  it("refuses a caller who is not a member of the org, and bills nothing", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const outsider = await userAccount(db, "pro");
    const client = openai(await tokenFor(outsider.userId), { "X-HF-Bill-To": org.orgName });
    const refused = await apiError(
      client.chat.completions.create({ model: LLAMA, messages: [{ role: "user", content: "hi" }] }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("not_org_member");
    const streamed = await apiError(
      client.chat.completions.create({
        model: LLAMA,
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
    );
    expect(streamed.status).toBe(403);
    expect(await db.usageEvent.count({ where: { accountId: org.accountId } })).toBe(0);
    expect(await db.usageEvent.count({ where: { accountId: outsider.accountId } })).toBe(0);
  });

  it("refuses a provider the org disabled, and routes around it when the caller let the router choose", async () => {
    const org = await orgAccount(db, "team", 1, 2);
    await setProviderEnabled(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      providerId: "together",
      enabled: false,
    });
    const client = openai(await tokenFor(org.memberIds[1]!), { "X-HF-Bill-To": org.orgName });
    const messages = [{ role: "user" as const, content: "hi" }];
    const refused = await apiError(client.chat.completions.create({ model: `${LLAMA}:together`, messages }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "provider_disabled", provider: "together", org: org.orgName });
    expect(refused.body.message).toMatch(/admin/);

    const routed = await client.chat.completions.create({ model: LLAMA, messages });
    expect(routed.model).not.toMatch(/:together$/);
    // The caller's own account did not disable it.
    const own = await openai(await tokenFor(org.memberIds[1]!)).chat.completions.create({
      model: `${LLAMA}:together`,
      messages,
    });
    expect(own.model).toBe(`${LLAMA}:together`);
  });

  it("cuts a Free user off at $0.10 of credits, streaming or not", async () => {
    const free = await userAccount(db, "free");
    const client = openai(await tokenFor(free.userId));
    // test-routed bills $1 per million input tokens: about $0.01 a request, held at $0.04.
    const messages = [{ role: "user" as const, content: "x".repeat(40_000) }];
    let served = 0;
    let refusal: Awaited<ReturnType<typeof apiError>> | undefined;
    for (let i = 0; i < 20 && !refusal; i++) {
      const request = client.chat.completions.create({
        model: "test/model:test-routed",
        messages,
        max_tokens: 8,
        stream: i % 2 === 1,
      });
      try {
        const res = await request;
        if (i % 2 === 1) for await (const _ of res as AsyncIterable<unknown>) void _;
        served++;
      } catch (e) {
        refusal = await apiError(Promise.reject(e));
      }
    }
    expect(served).toBeGreaterThan(3);
    expect(refusal!.status).toBe(402);
    expect(refusal!.body).toMatchObject({ code: "credits_exhausted" });
    const { credits, payg } = await expectLedgerAgrees(free.accountId);
    expect(credits).toBeLessThanOrEqual(100_000_000n);
    expect(payg).toBe(0n);
    const again = await apiError(
      client.chat.completions.create({ model: "test/model:test-routed", messages, stream: true }),
    );
    expect(again.status).toBe(402);
  });

  it("bills nothing for a request made with the caller's own provider key", async () => {
    const user = await userAccount(db, "pro");
    await setProviderKey(db, providerKeyRing(), {
      userId: user.userId,
      providerId: "together",
      key: "tgp_v1_my-own-key-1234",
    });
    const res = await openai(await tokenFor(user.userId)).chat.completions.create({
      model: `${LLAMA}:together`,
      messages: [{ role: "user", content: "On my own key." }],
    });
    const cost = (res.usage as unknown as { cost: Record<string, string> }).cost;
    expect(cost).toMatchObject({
      mode: "custom_key",
      billed_usd: "0.0",
      credits_usd: "0.0",
      pay_as_you_go_usd: "0.0",
    });
    expect(cost.list_price_usd).not.toBe("0.0");
    const [event] = await db.usageEvent.findMany({ where: { accountId: user.accountId } });
    expect(event).toMatchObject({ mode: "custom_key", creditsNano: 0n, paygNano: 0n });
    expect(event!.costNano).toBeGreaterThan(0n);
    const { credits, payg } = await expectLedgerAgrees(user.accountId);
    expect(credits + payg).toBe(0n);
  });

  it("decides from the caller's settings as they are now, though the same token was routed before", async () => {
    const org = await orgAccount(db, "team", 1, 2);
    const member = org.memberIds[1]!;
    const client = openai(await tokenFor(member), { "X-HF-Bill-To": org.orgName });
    const messages = [{ role: "user" as const, content: "hi" }];
    const provider = async () => (await client.chat.completions.create({ model: LLAMA, messages })).model;

    await setProviderPreferences(db, { userId: member, providers: ["groq"] });
    expect(await provider()).toBe(`${LLAMA}:groq`);
    await setProviderPreferences(db, { userId: member, providers: ["nebius"] });
    expect(await provider()).toBe(`${LLAMA}:nebius`);
    await setProviderEnabled(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      providerId: "nebius",
      enabled: false,
    });
    expect(await provider()).not.toBe(`${LLAMA}:nebius`);
    await setProviderKey(db, providerKeyRing(), {
      userId: member,
      providerId: "groq",
      key: "gsk_own-key-5678",
    });
    await setProviderPreferences(db, { userId: member, providers: ["groq"] });
    const own = await client.chat.completions.create({ model: LLAMA, messages });
    expect(own.model).toBe(`${LLAMA}:groq`);
    expect((own.usage as unknown as { cost: Record<string, string> }).cost).toMatchObject({
      mode: "custom_key",
    });

    const events = await db.usageEvent.findMany({
      where: { accountId: org.accountId },
      orderBy: { occurredAt: "asc" },
    });
    expect(events.map((e) => [e.providerId, e.mode])).toEqual([
      ["groq", "routed"],
      ["nebius", "routed"],
      [events[2]!.providerId, "routed"],
      ["groq", "custom_key"],
    ]);
    await expectLedgerAgrees(org.accountId); // no hold left behind by a request admitted twice
  });

  it("keeps streaming traffic within the org's spending limit: refusals are 402 with the limit's details", async () => {
    const org = await orgAccount(db, "team", 1, 3);
    // Use up the month's $2 of credits, then allow $0.30 of pay-as-you-go.
    await settleUsage(db, [routedUsage(org.accountId, org.memberIds[0]!, new Date(), 200)]);
    await setSpendingLimit(db, { accountId: org.accountId, actorUserId: org.memberIds[0]!, limitCents: 30 });
    const messages = [{ role: "user" as const, content: "y".repeat(40_000) }];
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const client = openai(await tokenFor(org.memberIds[i % 3]!), { "X-HF-Bill-To": org.orgName });
        try {
          const stream = await client.chat.completions.create({
            model: "test/model:test-routed",
            messages,
            max_tokens: 8,
            stream: true,
          });
          for await (const _ of stream) void _;
          return "served" as const;
        } catch (e) {
          return apiError(Promise.reject(e));
        }
      }),
    );
    const refused = outcomes.filter((o) => o !== "served");
    expect(outcomes.filter((o) => o === "served").length).toBeGreaterThan(5);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.status).toBe(402);
      expect(r.body).toMatchObject({ code: "spending_limit_reached", limitCents: 30 });
      expect(r.body.message).toMatch(/limit/i);
    }
    const { payg } = await expectLedgerAgrees(org.accountId);
    expect(payg).toBeLessThanOrEqual(30n * 10_000_000n);
  });

  it("answers errors in the documented shape: unknown model 404, bad body 400, no token 401", async () => {
    const user = await userAccount(db, "pro");
    const client = openai(await tokenFor(user.userId));
    const unknown = await apiError(
      client.chat.completions.create({
        model: "nobody/nothing",
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(unknown).toMatchObject({ status: 404, body: { code: "model_not_found" } });
    const wrongProvider = await apiError(
      client.chat.completions.create({
        model: `${LLAMA}:replicate`,
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(wrongProvider).toMatchObject({
      status: 404,
      body: { code: "model_not_found", provider: "replicate" },
    });
    const bad = await apiError(
      client.chat.completions.create({ model: LLAMA, messages: [], max_tokens: -1 }),
    );
    expect(bad).toMatchObject({ status: 400, body: { code: "invalid_request" } });
    const anonymous = await fetch(`${app.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
  });

  it("refuses a chat request to a model whose task is not conversational: 400 naming the task", async () => {
    const user = await userAccount(db, "pro");
    const client = openai(await tokenFor(user.userId));
    const messages = [{ role: "user" as const, content: "a cat on a bicycle" }];
    for (const model of ["black-forest-labs/FLUX.1-dev", "black-forest-labs/FLUX.1-dev:hf-inference"]) {
      const refused = await apiError(client.chat.completions.create({ model, messages }));
      expect(refused).toMatchObject({
        status: 400,
        body: { code: "task_not_supported", model: "black-forest-labs/FLUX.1-dev", task: "text-to-image" },
      });
      expect(refused.body.message).toMatch(/text-to-image/);
    }
    const embedder = await apiError(
      client.chat.completions.create({ model: "BAAI/bge-large-en-v1.5", messages }),
    );
    expect(embedder).toMatchObject({
      status: 400,
      body: { code: "task_not_supported", task: "feature-extraction" },
    });
    expect(await db.usageEvent.count({ where: { accountId: user.accountId } })).toBe(0);
  });

  it("answers the pricing page's example model, deepseek-ai/DeepSeek-V3-0324", async () => {
    const user = await userAccount(db, "pro");
    const res = await openai(await tokenFor(user.userId)).chat.completions.create({
      model: "deepseek-ai/DeepSeek-V3-0324",
      messages: [{ role: "user", content: "How many 'G's in 'huggingface'?" }],
    });
    expect(res.model).toMatch(/^deepseek-ai\/DeepSeek-V3-0324:[a-z-]+$/);
    expect(res.choices[0]!.message.content).toBeTruthy();
    await expectLedgerAgrees(user.accountId);
  });

  it("lists the catalog's models with their task, providers and prices", async () => {
    const user = await userAccount(db, "pro");
    const list = await openai(await tokenFor(user.userId)).models.list();
    type Listed = {
      id: string;
      task: string;
      providers: { provider: string; pricing: Record<string, string> }[];
    };
    const byId = new Map((list.data as unknown as Listed[]).map((m) => [m.id, m]));
    expect(byId.size).toBeGreaterThanOrEqual(40);
    const flux = byId.get("black-forest-labs/FLUX.1-dev")!;
    expect(flux.task).toBe("text-to-image");
    expect(flux.providers.find((p) => p.provider === "hf-inference")!.pricing).toMatchObject({
      unit: "compute",
      usd_per_second: "0.00012",
    });
    const deepseek = byId.get("deepseek-ai/DeepSeek-V3-0324")!;
    expect(deepseek.task).toBe("conversational");
    expect(deepseek.providers.length).toBeGreaterThanOrEqual(3);
    expect(deepseek.providers.find((p) => p.provider === "novita")!.pricing).toMatchObject({
      unit: "token",
      input_usd_per_million: "0.28",
      output_usd_per_million: "1.14",
      cached_input_usd_per_million: "0.07",
    });
  });

  it("lists the catalog's models with their providers and prices", async () => {
    const user = await userAccount(db, "pro");
    const list = await openai(await tokenFor(user.userId)).models.list();
    const llama = list.data.find((m) => m.id === LLAMA) as unknown as {
      providers: { provider: string; pricing: { unit: string } }[];
    };
    expect(llama.providers.map((p) => p.provider)).toContain("together");
    expect(llama.providers.find((p) => p.provider === "together")!.pricing).toMatchObject({ unit: "token" });
  });
});

describe("provider policies through the router", () => {
  // Gemma 3 27B: nebius is the fastest sandbox provider (3,892 tokens/s against 1,408 and
  // 1,211) but not the cheapest for a long answer: novita's $0.20 per million output tokens
  // beats nebius's $0.30 once max_tokens outweighs the prompt.
  const GEMMA = "google/gemma-3-27b-it";
  const messages = [{ role: "user" as const, content: "Name three colours." }];

  it(":fastest times every provider once, then keeps to the one it measured fastest", async () => {
    const user = await userAccount(db, "pro");
    const client = openai(await tokenFor(user.userId));
    // A long sandbox answer (61 tokens: 16 ms at nebius, 43 ms at novita), so that timer noise
    // on a busy machine stays well under the gap being measured.
    const long = [{ role: "user" as const, content: "Name 5 colours." }];
    expect(sandboxAnswer({ model: GEMMA, messages: long, max_tokens: 64 }).completionTokens).toBe(61);
    const served: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await client.chat.completions.create({
        model: `${GEMMA}:fastest`,
        messages: long,
        max_tokens: 64,
      });
      served.push(res.model.split(":")[1]!);
    }
    expect(sandboxTokensPerSecond("nebius")).toBeGreaterThan(
      Math.max(sandboxTokensPerSecond("novita"), sandboxTokensPerSecond("scaleway")) * 2,
    );
    expect(new Set(served.slice(0, 3))).toEqual(new Set(["nebius", "novita", "scaleway"]));
    expect(served.slice(3)).toEqual(["nebius", "nebius", "nebius"]);
    // A bare model, for a caller with no saved order, is :fastest.
    const bare = await client.chat.completions.create({ model: GEMMA, messages: long, max_tokens: 64 });
    expect(bare.model).toBe(`${GEMMA}:nebius`);
  });

  it(":cheapest picks the lowest cost for the request's bound, and bills that provider's price", async () => {
    const user = await userAccount(db, "pro");
    const client = openai(await tokenFor(user.userId));
    const res = await client.chat.completions.create({
      model: `${GEMMA}:cheapest`,
      messages,
      max_tokens: 2000,
    });
    expect(res.model).toBe(`${GEMMA}:novita`);
    const [event] = await db.usageEvent.findMany({ where: { accountId: user.accountId } });
    // novita lists $0.119 in, $0.20 out per million tokens.
    expect(event!.costNano).toBe(
      tokenCostNano(
        { inputTokens: res.usage!.prompt_tokens, outputTokens: res.usage!.completion_tokens },
        { inputNanoPerMillion: 119_000_000n, outputNanoPerMillion: 200_000_000n },
      ),
    );
    // With a short answer the prompt weighs more: nebius's $0.10 in wins.
    const short = await client.chat.completions.create({
      model: `${GEMMA}:cheapest`,
      messages: [{ role: "user", content: "x".repeat(4000) }],
      max_tokens: 1,
    });
    expect(short.model).toBe(`${GEMMA}:nebius`);
  });

  it(":preferred and a bare model follow the caller's saved order; disabled providers are skipped", async () => {
    const org = await orgAccount(db, "team", 1, 2);
    const member = org.memberIds[1]!;
    await setProviderPreferences(db, { userId: member, providers: ["scaleway", "novita"] });
    const own = openai(await tokenFor(member));
    for (const model of [`${GEMMA}:preferred`, GEMMA])
      expect((await own.chat.completions.create({ model, messages })).model).toBe(`${GEMMA}:scaleway`);
    await setProviderEnabled(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      providerId: "scaleway",
      enabled: false,
    });
    const billed = openai(await tokenFor(member), { "X-HF-Bill-To": org.orgName });
    for (const model of [`${GEMMA}:preferred`, `${GEMMA}:cheapest`, `${GEMMA}:fastest`])
      expect((await billed.chat.completions.create({ model, messages })).model).not.toBe(`${GEMMA}:scaleway`);
    expect((await billed.chat.completions.create({ model: `${GEMMA}:preferred`, messages })).model).toBe(
      `${GEMMA}:novita`,
    );
  });
});

describe("POST /v1/chat/completions with @huggingface/inference's InferenceClient", () => {
  it("bills the org through billTo, streaming and not", async () => {
    const org = await orgAccount(db, "enterprise", 1, 1);
    const member = await createUser(db, {
      email: uniqueEmail("hf"),
      password: "correct horse battery",
      plan: "free",
    });
    await addMember(db, { orgName: org.orgName, email: member.email, role: "write" });
    const client = new InferenceClient(await tokenFor(member.id), {
      endpointUrl: `${app.url}/v1`,
      billTo: org.orgName,
    });
    const messages = [{ role: "user", content: "Hello from the Hugging Face client." }];

    const out = await client.chatCompletion({ model: LLAMA, messages, max_tokens: 30 });
    expect(out.choices[0]!.message.content).toBeTruthy();
    expect((out.usage as unknown as { cost: unknown }).cost).toMatchObject({
      billed_to: { type: "org", name: org.orgName },
    });

    let text = "";
    for await (const chunk of client.chatCompletionStream({ model: LLAMA, messages, max_tokens: 30 })) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    expect(text).toBe(sandboxAnswer({ model: LLAMA, messages, max_tokens: 30 }).content);
    expect(await db.usageEvent.count({ where: { accountId: org.accountId, userId: member.id } })).toBe(2);
    await expectLedgerAgrees(org.accountId);
  });

  it("bills the caller without billTo, and surfaces a refusal as an error", async () => {
    const user = await userAccount(db, "pro");
    const token = await tokenFor(user.userId);
    const client = new InferenceClient(token, { endpointUrl: `${app.url}/v1` });
    await client.chatCompletion({ model: LLAMA, messages: [{ role: "user", content: "hi" }] });
    expect(await db.usageEvent.count({ where: { accountId: user.accountId } })).toBe(1);

    const org = await orgAccount(db, "team", 1, 1);
    const outsider = new InferenceClient(token, { endpointUrl: `${app.url}/v1`, billTo: org.orgName });
    // The client surfaces the status and our error body on the error it throws.
    const refused = await outsider
      .chatCompletion({ model: LLAMA, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e as InferenceClientProviderApiError);
    expect(refused).toBeInstanceOf(InferenceClientProviderApiError);
    expect(refused.httpResponse).toMatchObject({ status: 403, body: { error: { code: "not_org_member" } } });
    // Streaming, it also shows our message.
    const stream = outsider.chatCompletionStream({
      model: LLAMA,
      messages: [{ role: "user", content: "hi" }],
    });
    await expect(stream.next()).rejects.toThrow(/not a member/);
  });
});
