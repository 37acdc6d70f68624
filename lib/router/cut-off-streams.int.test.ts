import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { createApiToken } from "@/lib/auth/tokens";
import { periodStart } from "@/lib/kernel/period";
import { testDb } from "@/lib/testing/db";
import { routerAgainst } from "@/lib/testing/router-against";
import { ensureTestCatalog, userAccount } from "@/lib/testing/billing-fixtures";

// Streams cut short, against a real HTTP provider on 127.0.0.1: billed for what was produced
// (the provider's usage if it sent one, else one token per streamed delta and the prompt's
// estimate), never $0 and never the whole hold; a provider reporting zero usage is billed zero.
const db = testDb();
let app: Awaited<ReturnType<typeof routerAgainst>>;
const WORDS = 200;

function fakeProvider() {
  return http.createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const request = JSON.parse(raw) as { messages: { content: string }[]; stream: boolean };
    const prompt = request.messages[0]!.content;
    if (!request.stream) {
      // Non-streamed: the whole answer after a while, whether or not our side is still there.
      await new Promise((r) => setTimeout(r, 400));
      const answer = { role: "assistant", content: "A long story." };
      const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
      return void res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "up",
          choices: [{ index: 0, message: answer, finish_reason: "stop" }],
          usage,
        }),
      );
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const send = (chunk: unknown) =>
      res.write(`data: ${JSON.stringify({ id: "up", ...(chunk as object) })}\n\n`);
    const pause = () => new Promise((r) => setTimeout(r, 10));
    send({ choices: [{ index: 0, delta: { role: "assistant" } }] });
    if (prompt === "silent") return void (await new Promise((r) => setTimeout(r, 5_000)), res.end());
    for (let i = 0; i < WORDS && !res.destroyed; i++) {
      send({ choices: [{ index: 0, delta: { content: ` w${i}` } }] });
      await pause();
      if (prompt === "breaks" && i === 4) return void res.destroy(); // the provider fails mid-way
    }
    if (prompt === "zero")
      send({ choices: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } });
    res.end("data: [DONE]\n\n");
  });
}

beforeAll(async () => {
  await ensureTestCatalog(db);
  app = await routerAgainst(fakeProvider());
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

async function caller() {
  const user = await userAccount(db, "pro");
  const { token } = await createApiToken(db, { userId: user.userId, name: "t" });
  return { ...user, client: new OpenAI({ apiKey: token, baseURL: `${app.url}/v1`, maxRetries: 0 }) };
}
const content = "Tell me a long story about invoices.";

/** The request's one event, once settled, and the month's holds then. */
async function settled(accountId: string) {
  for (let i = 0; i < 100; i++) {
    const events = await db.usageEvent.findMany({ where: { accountId } });
    if (events.length > 0) {
      const month = await db.accountPeriod.findUnique({
        where: { accountId_period: { accountId, period: periodStart(new Date()) } },
      });
      return { events, reserved: month?.reservedNano ?? 0n };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the request was never settled");
}

/** Streams `prompt`, reading `chunks` content chunks before leaving (Infinity: to the end). */
async function streamAndLeave(client: OpenAI, prompt: string, chunks: number) {
  const abort = new AbortController();
  const stream = await client.chat.completions.create(
    {
      model: "test/model:test-routed",
      messages: [{ role: "user", content: prompt }],
      max_tokens: 4_000,
      stream: true,
    },
    { signal: abort.signal },
  );
  let read = 0;
  try {
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) read++;
      if (read >= chunks) {
        abort.abort();
        break;
      }
    }
  } catch {
    // the abort, or the provider's failure, surfaces here
  }
  return read;
}

describe("a stream cut short", () => {
  it("when the caller leaves mid-stream: billed the prompt and the deltas produced, not the hold", async () => {
    const { client, accountId } = await caller();
    const read = await streamAndLeave(client, content, 5);
    expect(read).toBe(5);
    const { events, reserved } = await settled(accountId);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e!.outputTokens).toBeGreaterThanOrEqual(5);
    expect(e!.outputTokens).toBeLessThan(WORDS); // the provider stopped when the caller left
    expect(e!.inputTokens).toBeGreaterThan(0);
    expect(e!.costNano).toBe(BigInt(e!.inputTokens) * 1_000n); // test-routed: $1 per million input
    expect(e!.streamed).toBe(true);
    expect(reserved).toBe(0n); // the hold went back, the rest of it unbilled
  });

  it("when the caller leaves before any text: the prompt is billed, never $0", async () => {
    const { client, accountId } = await caller();
    const abort = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "test/model:test-routed", messages: [{ role: "user", content: "silent" }], stream: true },
      { signal: abort.signal },
    );
    setTimeout(() => abort.abort(), 200);
    await (async () => {
      for await (const _ of stream) void _;
    })().catch(() => undefined);
    const [e] = (await settled(accountId)).events;
    expect(e).toMatchObject({ outputTokens: 0 });
    expect(e!.costNano).toBeGreaterThan(0n);
  });

  it("when the provider fails mid-stream: billed what it delivered", async () => {
    const { client, accountId } = await caller();
    await streamAndLeave(client, "breaks", Infinity);
    const [e] = (await settled(accountId)).events;
    expect(e!.outputTokens).toBe(5);
    expect(e!.costNano).toBeGreaterThan(0n);
  });

  it("a non-streamed request the caller leaves is billed the provider's usage, never $0", async () => {
    const { client, accountId } = await caller();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await client.chat.completions
      .create(
        { model: "test/model:test-routed", messages: [{ role: "user", content }] },
        { signal: abort.signal },
      )
      .catch(() => undefined);
    const [e] = (await settled(accountId)).events;
    expect(e).toMatchObject({ inputTokens: 10, outputTokens: 20, streamed: false });
    expect(e!.costNano).toBe(10n * 1_000n); // test-routed: $1 per million input, output free
  });

  it("a provider that reports zero usage is billed zero, not an estimate", async () => {
    const { client, accountId } = await caller();
    await streamAndLeave(client, "zero", Infinity);
    const [e] = (await settled(accountId)).events;
    expect(e).toMatchObject({ inputTokens: 0, outputTokens: 0, costNano: 0n });
  });
});
