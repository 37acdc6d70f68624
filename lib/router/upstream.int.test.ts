import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { testDb } from "@/lib/testing/db";
import { routerAgainst } from "@/lib/testing/router-against";
import { ensureTestCatalog, userAccount } from "@/lib/testing/billing-fixtures";
import { createApiToken } from "@/lib/auth/tokens";
import { setProviderKey } from "@/lib/keys/provider-keys";
import { providerKeyRing } from "@/lib/keys/key-ring";
import { periodStart } from "@/lib/kernel/period";

// A fake provider: a real HTTP server on 127.0.0.1 that records what reaches it. The router is
// configured with a platform credential for test-routed pointing at it.
const PLATFORM_KEY = "platform-secret-for-test-routed";
const db = testDb();
const seen: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
let app: Awaited<ReturnType<typeof routerAgainst>>;

function fakeProvider() {
  return http.createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const body = JSON.parse(raw) as { stream?: boolean; messages: { content: string }[] };
    seen.push({ headers: req.headers, body });
    const prompt = body.messages[0]!.content;
    if (prompt === "fail")
      return void res.writeHead(500, { "content-type": "application/json" }).end('{"error":"boom"}');
    if (prompt === "unauthorized")
      return void res
        .writeHead(401, { "content-type": "application/json" })
        .end('{"error":{"message":"bad key"}}');
    if (prompt === "slow") await new Promise((r) => setTimeout(r, 2_500));
    // "classes": 4 of the prompt cached, 3 of the completion reasoning; "overcounted": more of
    // each than the totals, as a faulty provider might report.
    const details = { classes: [4, 3], overcounted: [50, 20] }[prompt];
    const usage = {
      prompt_tokens: 11,
      completion_tokens: 7,
      total_tokens: 18,
      ...(details && {
        prompt_tokens_details: { cached_tokens: details[0] },
        completion_tokens_details: { reasoning_tokens: details[1] },
      }),
    };
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(
        JSON.stringify({
          id: "up-1",
          object: "chat.completion",
          choices: [
            { index: 0, message: { role: "assistant", content: "from upstream" }, finish_reason: "stop" },
          ],
          usage,
        }),
      );
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const word of ["from", " upstream"]) {
      res.write(
        `data: ${JSON.stringify({ id: "up-1", choices: [{ index: 0, delta: { content: word } }] })}\n\n`,
      );
    }
    res.write(`data: ${JSON.stringify({ id: "up-1", choices: [], usage })}\n\n`);
    res.end("data: [DONE]\n\n");
  });
}

beforeAll(async () => {
  await ensureTestCatalog(db);
  process.env.ROUTER_UPSTREAM_TIMEOUT_MS = "1000";
  app = await routerAgainst(fakeProvider(), PLATFORM_KEY);
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

async function caller() {
  const user = await userAccount(db, "pro");
  const { token } = await createApiToken(db, { userId: user.userId, name: "t" });
  const client = new OpenAI({ apiKey: token, baseURL: `${app.url}/v1`, maxRetries: 0 });
  return { ...user, token, client };
}

const request = (content: string) => ({
  model: "test/model:test-routed",
  messages: [{ role: "user" as const, content }],
});
const ask = (client: OpenAI, content: string) => client.chat.completions.create(request(content));
const askStream = (client: OpenAI, content: string) =>
  client.chat.completions.create({ ...request(content), stream: true });
/** Either way, to the end of the answer. */
async function askEither(client: OpenAI, content: string, stream: boolean) {
  if (!stream) return ask(client, content);
  for await (const _ of await askStream(client, content)) void _;
}

async function holdsOf(accountId: string) {
  const month = await db.accountPeriod.findUnique({
    where: { accountId_period: { accountId, period: periodStart(new Date()) } },
  });
  return { reserved: month?.reservedNano ?? 0n, open: await db.reservation.count({ where: { accountId } }) };
}

describe("what reaches the provider", () => {
  it("a routed request carries the platform credential, never the caller's access token", async () => {
    const { client, token, accountId } = await caller();
    seen.length = 0;
    const res = await ask(client, "hello");
    expect(res.choices[0]!.message.content).toBe("from upstream");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${PLATFORM_KEY}`);
    expect(seen[0]!.body.model).toBe("test"); // the provider's own name for the model
    expect(JSON.stringify(seen[0])).not.toContain(token);
    expect(JSON.stringify(seen[0])).not.toContain("hf_");
    // Billed at the provider's reported usage: 11 input tokens at $1 per million.
    const [event] = await db.usageEvent.findMany({ where: { accountId } });
    expect(event).toMatchObject({ inputTokens: 11, outputTokens: 7, costNano: 11_000n, mode: "routed" });
  });

  it("a request with the caller's own key carries that key, not the platform's, and bills nothing", async () => {
    const { client, token, userId, accountId } = await caller();
    await setProviderKey(db, providerKeyRing(), {
      userId,
      providerId: "test-routed",
      key: "users-own-key-9876",
    });
    seen.length = 0;
    for (const stream of [false, true]) {
      await askEither(client, "mine", stream);
    }
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.headers.authorization).toBe("Bearer users-own-key-9876");
      expect(JSON.stringify(s)).not.toContain(PLATFORM_KEY);
      expect(JSON.stringify(s)).not.toContain(token);
    }
    const events = await db.usageEvent.findMany({ where: { accountId } });
    expect(events.map((e) => [e.mode, e.creditsNano + e.paygNano])).toEqual([
      ["custom_key", 0n],
      ["custom_key", 0n],
    ]);
  });

  it("a stream passes the provider's chunks through and bills its final usage", async () => {
    const { client, accountId } = await caller();
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await askStream(client, "stream it")) {
      text += chunk.choices[0]?.delta?.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("from upstream");
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });
    expect(seen.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(await db.usageEvent.count({ where: { accountId } })).toBe(1);
  });
});

describe("the provider's token classes", () => {
  it.each([
    ["classes", 4, 3],
    // Clamped to the totals rather than refused: the caller has had the answer; stored and
    // answered as billed, so the classes never add up to more than the provider counted.
    ["overcounted", 11, 7],
  ])(
    "%s: read from its usage, billed, stored and answered the same, streamed or not",
    async (prompt, cached, reasoning) => {
      const { client, accountId } = await caller();
      const answered: unknown[] = [];
      const plain = await ask(client, prompt);
      answered.push(plain.usage);
      for await (const chunk of await askStream(client, prompt)) if (chunk.usage) answered.push(chunk.usage);
      for (const usage of answered)
        expect(usage).toMatchObject({
          prompt_tokens: 11,
          completion_tokens: 7,
          prompt_tokens_details: { cached_tokens: cached },
          completion_tokens_details: { reasoning_tokens: reasoning },
        });
      const events = await db.usageEvent.findMany({ where: { accountId } });
      expect(events.map((e) => [e.cachedInputTokens, e.reasoningTokens, e.costNano])).toEqual([
        // test-routed lists no cached price: 11 input tokens at $1 per million, cached or not.
        [cached, reasoning, 11_000n],
        [cached, reasoning, 11_000n],
      ]);
    },
  );
});

describe("when the provider fails", () => {
  it.each([
    ["fail", 502, "upstream_error"],
    ["unauthorized", 502, "upstream_auth_failed"],
    ["slow", 504, "upstream_timeout"],
  ])("%s: a clear error, nothing billed, the hold released", async (prompt, status, code) => {
    const { client, accountId } = await caller();
    for (const stream of [false, true]) {
      const err = await askEither(client, prompt, stream).then(
        () => null,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
      expect(err?.status).toBe(status);
      expect(err?.error).toMatchObject({ code, provider: "test-routed" });
    }
    expect(await db.usageEvent.count({ where: { accountId } })).toBe(0);
    expect(await holdsOf(accountId)).toEqual({ reserved: 0n, open: 0 });
  });
});
