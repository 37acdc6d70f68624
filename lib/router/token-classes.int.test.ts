import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type OpenAI from "openai";
import * as chat from "@/app/v1/chat/completions/route";
import * as generation from "@/app/v1/generation/route";
import { createServiceToken } from "@/lib/auth/tokens";
import { tokenCostNano } from "@/lib/pricing/rate";
import { ingestUsage } from "@/lib/usage/ingest";
import { usageBreakdown } from "@/lib/usage/breakdown";
import { routerClient, userToken } from "@/lib/testing/router-client";
import { testDb } from "@/lib/testing/db";
import { serveRoutes } from "@/lib/testing/serve-routes";
import { ensureTestCatalog, userAccount } from "@/lib/testing/billing-fixtures";
import type { Generation } from "./generation-wire";

// Every token class billed by the one rule of lib/pricing/rate.ts, through the real router (the
// sandbox reports cached tokens for the earlier messages of a conversation, reasoning tokens for
// reasoning models) and through ingestion, on the real database.
const db = testDb();
let app: Awaited<ReturnType<typeof serveRoutes>>;
let serviceTokenId: string;

beforeAll(async () => {
  await ensureTestCatalog(db);
  serviceTokenId = (await createServiceToken(db, { name: "token-classes" })).record.id;
  app = await serveRoutes({ "/v1/chat/completions": chat, "/v1/generation": generation });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

const GPT_OSS = "openai/gpt-oss-20b";
/** Offers that between them exercise every class and both prices of cached input. */
const OFFERS = [
  `${GPT_OSS}:groq`, // a cached price ($0.05/M against $0.10/M input), and reasoning
  `${GPT_OSS}:together`, // reasoning, and no cached price: cached input costs as input
  "deepseek-ai/DeepSeek-V3-0324:novita", // a cached price, no reasoning
  "meta-llama/Llama-3.3-70B-Instruct:together", // neither
];
const conversation = [
  { role: "user" as const, content: "hello" },
  { role: "assistant" as const, content: "hi there" },
  { role: "user" as const, content: "bye" },
];

type Usage = OpenAI.CompletionUsage & { cost: { list_price_usd: string } };

async function caller() {
  const user = await userAccount(db, "pro");
  return { ...user, client: routerClient(app.url, await userToken(db, user.userId)) };
}

/** One request, streamed or not, to its end: the answer's id and usage. */
async function ask(
  client: OpenAI,
  request: { model: string; messages: OpenAI.ChatCompletionMessageParam[]; max_tokens: number },
  stream: boolean,
): Promise<{ id: string; usage: Usage }> {
  if (!stream) {
    const res = await client.chat.completions.create(request);
    return { id: res.id, usage: res.usage as Usage };
  }
  let id = "";
  let usage: Usage | undefined;
  for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) {
    id = chunk.id;
    if (chunk.usage) usage = chunk.usage as Usage;
  }
  return { id, usage: usage! };
}

const eventOf = (id: string) =>
  db.usageEvent.findFirstOrThrow({ where: { id: id.replace(/^chatcmpl-/, "") } });

async function priceOf(model: string) {
  const [modelId, providerId] = [
    model.slice(0, model.lastIndexOf(":")),
    model.slice(model.lastIndexOf(":") + 1),
  ];
  return db.price.findFirstOrThrow({ where: { providerId, modelId }, orderBy: { effectiveFrom: "desc" } });
}

const classesOf = (u: Usage) => ({
  inputTokens: u.prompt_tokens,
  outputTokens: u.completion_tokens,
  cachedInputTokens: u.prompt_tokens_details!.cached_tokens!,
  reasoningTokens: u.completion_tokens_details!.reasoning_tokens!,
});

describe("every token class, billed by the router", () => {
  it("bills cached input at the cached price and reasoning once, inside output, and answers both", async () => {
    const { client } = await caller();
    const { id, usage } = await ask(
      client,
      { model: OFFERS[0]!, messages: conversation, max_tokens: 64 },
      false,
    );
    const c = usage.completion_tokens;
    expect(usage).toMatchObject({
      prompt_tokens: 17,
      total_tokens: 17 + c,
      prompt_tokens_details: { cached_tokens: 12 },
      completion_tokens_details: { reasoning_tokens: Math.floor(c / 2) },
    });
    // groq: 5 uncached × $0.10/M + 12 cached × $0.05/M + c output (reasoning included) × $0.50/M
    const costNano = 500n + 600n + 500n * BigInt(c);
    const event = await eventOf(id);
    expect(event).toMatchObject({
      inputTokens: 17,
      cachedInputTokens: 12,
      outputTokens: c,
      reasoningTokens: Math.floor(c / 2),
      costNano,
    });
    expect(usage.cost.list_price_usd).toBe((Number(costNano) / 1e9).toString());

    // GET /v1/generation gives the same classes and the same cost.
    const res = await fetch(`${app.url}/v1/generation?id=${id}`, {
      headers: { authorization: `Bearer ${client.apiKey}` },
    });
    const { data } = (await res.json()) as { data: Generation };
    expect(data).toMatchObject({
      tokens_prompt: 17,
      tokens_completion: c,
      native_tokens_cached: 12,
      native_tokens_reasoning: Math.floor(c / 2),
      cost: usage.cost,
    });
  });

  it("bills cached input as input where the provider lists no cached price", async () => {
    const { client } = await caller();
    const { id, usage } = await ask(
      client,
      { model: OFFERS[1]!, messages: conversation, max_tokens: 64 },
      false,
    );
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(12);
    // together: 17 input × $0.05/M + c output × $0.20/M
    expect((await eventOf(id)).costNano).toBe(850n + 200n * BigInt(usage.completion_tokens));
  });

  it("costs the same usage the same, streamed or not (property, through the router and the database)", async () => {
    const { client } = await caller();
    const message = fc.record({
      role: fc.constantFrom("system" as const, "user" as const, "assistant" as const),
      content: fc.string({ maxLength: 120 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OFFERS),
        fc.array(message, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 64 }),
        async (model, messages, max_tokens) => {
          const request = { model, messages, max_tokens };
          const plain = await ask(client, request, false);
          const streamed = await ask(client, request, true);
          expect(streamed.usage).toEqual(plain.usage);
          const [a, b] = [await eventOf(plain.id), await eventOf(streamed.id)];
          expect([a.streamed, b.streamed]).toEqual([false, true]);
          expect(b.costNano).toBe(a.costNano);
          const classes = (e: typeof a) => [
            e.inputTokens,
            e.cachedInputTokens,
            e.outputTokens,
            e.reasoningTokens,
          ];
          expect(classes(b)).toEqual(classes(a));
          // And that cost is the rule's, at the catalog's price.
          expect(a.costNano).toBe(tokenCostNano(classesOf(plain.usage), await priceOf(model)));
        },
      ),
      { numRuns: 16 },
    );
  }, 120_000);
});

describe("ingestion and the router", () => {
  it("bill the same usage the same", async () => {
    const { client, userId, accountId } = await caller();
    for (const model of OFFERS) {
      const { id, usage } = await ask(client, { model, messages: conversation, max_tokens: 64 }, true);
      const routed = await eventOf(id);
      const [modelId, provider] = [
        model.slice(0, model.lastIndexOf(":")),
        model.slice(model.lastIndexOf(":") + 1),
      ];
      const { results } = await ingestUsage(
        db,
        [
          {
            id: `ingested-${routed.id}`,
            userId,
            provider,
            model: modelId,
            mode: "routed",
            ...classesOf(usage),
            occurredAt: new Date().toISOString(),
          },
        ],
        { serviceTokenId },
      );
      expect(results[0], model).toMatchObject({ status: "recorded", costNano: routed.costNano });
      expect(await eventOf(`ingested-${routed.id}`)).toMatchObject({
        cachedInputTokens: routed.cachedInputTokens,
        reasoningTokens: routed.reasoningTokens,
      });
    }
    // The usage page (from the daily rollup) adds up to the events' costs, model by model.
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const breakdown = await usageBreakdown(db, {
      accountId,
      from: new Date(today - day),
      to: new Date(today + 2 * day),
      groupBy: "model",
    });
    const events = await db.usageEvent.findMany({ where: { accountId } });
    expect(events).toHaveLength(2 * OFFERS.length);
    const byModel = new Map<string, bigint>();
    for (const e of events) byModel.set(e.modelId, (byModel.get(e.modelId) ?? 0n) + e.costNano);
    expect(new Map(breakdown.rows.map((r) => [r.key, r.routed.costNano]))).toEqual(byModel);
  });

  it("refuses an event reporting more cached tokens than input, or more reasoning than output", async () => {
    const { userId } = await userAccount(db, "pro");
    const base = {
      userId,
      provider: "groq",
      model: GPT_OSS,
      mode: "routed",
      inputTokens: 10,
      outputTokens: 10,
      occurredAt: new Date().toISOString(),
    };
    const batch = [
      { ...base, id: `over-cached-${userId}`, cachedInputTokens: 11 },
      { ...base, id: `over-reasoning-${userId}`, reasoningTokens: 11 },
    ];
    const refused = await ingestUsage(db, batch).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 400,
      code: "invalid_events",
      details: {
        errors: [
          { index: 0, code: "invalid_event", message: expect.stringContaining("cachedInputTokens") },
          { index: 1, code: "invalid_event", message: expect.stringContaining("reasoningTokens") },
        ],
      },
    });
    expect(await db.usageEvent.count({ where: { userId } })).toBe(0);
  });

  it("prices compute time alone on a compute-priced provider, whatever classes are reported", async () => {
    const { userId } = await userAccount(db, "pro");
    const event = (id: string, classes: object) => ({
      id: `${id}-${userId}`,
      userId,
      provider: "test-compute",
      model: "test/model",
      mode: "routed",
      inputTokens: 100,
      outputTokens: 50,
      computeMs: 10_000,
      occurredAt: new Date().toISOString(),
      ...classes,
    });
    const { results } = await ingestUsage(db, [
      event("plain", {}),
      event("classes", { cachedInputTokens: 100, reasoningTokens: 50 }),
    ]);
    // 10 s at test-gpu's price in force now, both (another test may have raised it since 2026-03-15).
    const { nanoPerSecond } = await db.hardwarePrice.findFirstOrThrow({
      where: { hardware: "test-gpu", effectiveFrom: { lte: new Date() } },
      orderBy: { effectiveFrom: "desc" },
    });
    expect(results.map((r) => "costNano" in r && r.costNano)).toEqual([
      nanoPerSecond * 10n,
      nanoPerSecond * 10n,
    ]);
  });
});
