import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { createApiToken, hashToken } from "@/lib/auth/tokens";
import { setApiTokenLimit } from "@/lib/auth/token-limit";
import { tokenWindow } from "@/lib/auth/token-window";
import { setBillingNow } from "@/lib/kernel/clock";
import { setSpendingLimit } from "@/lib/org-controls/controls";
import { settleUsage } from "@/lib/ledger/settle";
import { holdTokenBudget, sweepExpiredTokenHolds } from "@/lib/ledger/token-budget";
import { testDb } from "@/lib/testing/db";
import { routerAgainst } from "@/lib/testing/router-against";
import { routerRefusal } from "@/lib/testing/router-client";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";

// Access tokens with a budget, through the router over real HTTP against a provider on
// 127.0.0.1 (so a request can be held open across midnight), on the real database: the limit
// holds under concurrency to the nano-dollar, resets by the billing clock, and a request counts
// once, in the window it started in.
const db = testDb();
let app: Awaited<ReturnType<typeof routerAgainst>>;
const NANO_PER_CENT = 10_000_000n;
/** Requests with this prompt wait for the test to open the gate before they finish. */
const GATED = "gated";
/** Requests with this prompt fail at the provider. */
const FAILS = "fails";
let openGate: () => void = () => {};
let gate = Promise.resolve();
let gateReached: () => void = () => {};

/** Answers every stream; reports 10,000 prompt tokens plus a few (about a cent on test-routed). */
function fakeProvider() {
  let n = 0;
  return http.createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const prompt = (JSON.parse(raw) as { messages: { content: string }[] }).messages[0]!.content;
    if (!prompt.startsWith(FAILS)) res.writeHead(200, { "content-type": "text/event-stream" });
    const send = (chunk: unknown) =>
      res.write(`data: ${JSON.stringify({ id: "up", ...(chunk as object) })}\n\n`);
    if (prompt.startsWith(FAILS)) return void res.writeHead(500).end("upstream broke");
    send({ choices: [{ index: 0, delta: { role: "assistant", content: "hello" } }] });
    if (prompt.startsWith(GATED)) {
      gateReached();
      await gate;
    }
    // Costs that are not whole cents, so the limit is checked to the nano-dollar.
    const promptTokens = 10_000 + (n++ % 7) * 137;
    send({
      choices: [],
      usage: { prompt_tokens: promptTokens, completion_tokens: 3, total_tokens: promptTokens + 3 },
    });
    res.end("data: [DONE]\n\n");
  });
}

beforeAll(async () => {
  await ensureTestCatalog(db);
  app = await routerAgainst(fakeProvider());
}, 60_000);
afterAll(async () => {
  await setBillingNow(db, new Date(), { production: false });
  await app.close();
  await db.$disconnect();
});

/** A prompt whose hold is about 2 cents (one token per byte bound) and that costs about 1. */
const prompt = (head = "") => head + "y".repeat(20_000 - head.length);

async function ask(token: string, head = "", billTo?: string) {
  const client = new OpenAI({
    apiKey: token,
    baseURL: `${app.url}/v1`,
    maxRetries: 0,
    defaultHeaders: billTo ? { "X-HF-Bill-To": billTo } : {},
  });
  const stream = await client.chat.completions.create({
    model: "test/model:test-routed",
    messages: [{ role: "user", content: prompt(head) }],
    max_tokens: 8,
    stream: true,
  });
  let cost: unknown = null;
  for await (const chunk of stream) if (chunk.usage) cost = (chunk.usage as { cost?: unknown }).cost;
  return cost;
}

/** What the ledger says the token's requests were billed, from its usage events. */
async function billedByToken(tokenId: string) {
  const [row] = await db.$queryRaw<{ billed: bigint; n: bigint }[]>`
    SELECT coalesce(sum(credits_nano + payg_nano), 0)::bigint AS billed, count(*) AS n
    FROM usage_events WHERE token_id = ${tokenId}::uuid`;
  return row!;
}

const windowOf = (tokenId: string, windowStart: Date) =>
  db.tokenWindow.findUnique({ where: { tokenId_windowStart: { tokenId, windowStart } } });

/** Spends the token's window until its limit refuses (at most `max` requests); the refusal. */
async function spendUntilRefused(token: string, max = 20) {
  for (let i = 0; i < max; i++) {
    try {
      await ask(token);
    } catch (e) {
      return routerRefusal(Promise.reject(e));
    }
  }
  throw new Error(`the token's limit never refused in ${max} requests`);
}

describe("access tokens with a spending limit", () => {
  it("100 parallel requests keep the token's spend within its limit, to the nano-dollar", async () => {
    await setBillingNow(db, new Date(), { production: false });
    const user = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, {
      userId: user.userId,
      name: "budgeted",
      limitCents: 30,
      limitReset: "monthly",
    });
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        ask(token).then(
          () => "served" as const,
          (e: unknown) => routerRefusal(Promise.reject(e)),
        ),
      ),
    );
    const refused = outcomes.filter((o) => o !== "served");
    const served = outcomes.length - refused.length;
    expect(served).toBeGreaterThanOrEqual(14); // holds of just over 2 cents: 14 fit at once
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.status).toBe(402);
      expect(r.body).toMatchObject({ code: "token_limit_reached", limitCents: 30, limitReset: "monthly" });
      expect(typeof r.body.spentCents).toBe("number");
      expect(typeof r.body.reservedCents).toBe("number");
      expect(r.body.resetsAt).toBe(tokenWindow("monthly", new Date()).resetsAt!.toISOString());
    }
    const { billed, n } = await billedByToken(record.id);
    expect(Number(n)).toBe(served);
    expect(billed).toBeLessThanOrEqual(30n * NANO_PER_CENT);
    expect(billed).toBeGreaterThanOrEqual(BigInt(served) * NANO_PER_CENT); // each at least 10,000 tokens
    // The window's counter is the ledger's sum, with nothing left held.
    const w = await windowOf(record.id, tokenWindow("monthly", new Date()).start);
    expect({ spent: w!.spentNano, reserved: w!.reservedNano }).toEqual({ spent: billed, reserved: 0n });
    expect(await db.tokenHold.count({ where: { tokenId: record.id } })).toBe(0);
    // The account's month holds nothing either: every refused request gave its holds back.
    const months = await db.accountPeriod.findMany({ where: { accountId: user.accountId } });
    expect(months.every((m) => m.reservedNano === 0n)).toBe(true);
  }, 60_000);

  it("a daily limit resets at 00:00 UTC by the billing clock; a request in flight across midnight counts once, in its start day", async () => {
    const day = new Date("2028-05-20T00:00:00.000Z");
    const next = new Date("2028-05-21T00:00:00.000Z");
    await setBillingNow(db, new Date("2028-05-20T12:00:00.000Z"), { production: false });
    const user = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, {
      userId: user.userId,
      name: "daily",
      limitCents: 5,
      limitReset: "daily",
    });
    const refused = await spendUntilRefused(token);
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: "token_limit_reached",
      limitCents: 5,
      limitReset: "daily",
      windowStart: day.toISOString(),
      resetsAt: next.toISOString(),
    });
    const spentDay = (await windowOf(record.id, day))!.spentNano;
    expect(spentDay).toBeLessThanOrEqual(5n * NANO_PER_CENT);

    // Still refused a second before midnight; served from 00:00 UTC.
    await setBillingNow(db, new Date(next.getTime() - 1_000), { production: false });
    expect((await routerRefusal(ask(token))).body.code).toBe("token_limit_reached");
    await setBillingNow(db, new Date(next.getTime() + 1_000), { production: false });
    await ask(token);
    const first = (await windowOf(record.id, next))!;
    expect(first.spentNano).toBeGreaterThan(0n);

    // Another token: admitted at 23:59:50, finished after midnight.
    const other = await createApiToken(db, {
      userId: user.userId,
      name: "night",
      limitCents: 100,
      limitReset: "daily",
    });
    await setBillingNow(db, new Date(next.getTime() - 10_000), { production: false });
    gate = new Promise<void>((r) => (openGate = r));
    const reached = new Promise<void>((r) => (gateReached = r));
    const inFlight = ask(other.token, GATED);
    await reached; // admitted and held in the old day, now waiting on the provider
    await setBillingNow(db, new Date(next.getTime() + 5_000), { production: false });
    openGate();
    await inFlight;
    const events = await db.usageEvent.findMany({ where: { tokenId: other.record.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.occurredAt.getTime()).toBeLessThan(next.getTime());
    const billed = events[0]!.creditsNano + events[0]!.paygNano;
    expect(billed).toBeGreaterThan(0n);
    expect(await windowOf(other.record.id, day)).toMatchObject({ spentNano: billed, reservedNano: 0n });
    expect(await windowOf(other.record.id, next)).toBeNull(); // counted once, in its start day
    // The next request of the new day counts there only.
    await ask(other.token);
    expect((await windowOf(other.record.id, day))!.spentNano).toBe(billed);
    expect((await windowOf(other.record.id, next))!.spentNano).toBeGreaterThan(0n);
  }, 60_000);

  it("a weekly limit resets on Monday 00:00 UTC", async () => {
    // 2028-05-22 is a Monday.
    const monday = new Date("2028-05-22T00:00:00.000Z");
    const lastMonday = new Date("2028-05-15T00:00:00.000Z");
    expect(monday.getUTCDay()).toBe(1);
    await setBillingNow(db, new Date("2028-05-21T20:00:00.000Z"), { production: false }); // Sunday
    const user = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, {
      userId: user.userId,
      name: "weekly",
      limitCents: 3,
      limitReset: "weekly",
    });
    const refused = await spendUntilRefused(token);
    expect(refused.body).toMatchObject({
      code: "token_limit_reached",
      windowStart: lastMonday.toISOString(),
      resetsAt: monday.toISOString(),
    });
    await setBillingNow(db, new Date("2028-05-21T23:59:59.000Z"), { production: false });
    expect((await routerRefusal(ask(token))).body.code).toBe("token_limit_reached");
    await setBillingNow(db, new Date("2028-05-22T00:00:01.000Z"), { production: false });
    await ask(token);
    expect((await windowOf(record.id, monday))!.spentNano).toBeGreaterThan(0n);
    expect((await windowOf(record.id, lastMonday))!.spentNano).toBeLessThanOrEqual(3n * NANO_PER_CENT);
  }, 60_000);

  it("a request the provider fails gives its token hold back; a hold never settled is swept", async () => {
    await setBillingNow(db, new Date(), { production: false });
    const user = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, {
      userId: user.userId,
      name: "fails",
      limitCents: 3,
      limitReset: "never",
    });
    for (let i = 0; i < 5; i++)
      expect((await routerRefusal(ask(token, FAILS))).status).toBeGreaterThanOrEqual(500);
    const all = new Date(0);
    expect(await windowOf(record.id, all)).toMatchObject({ spentNano: 0n, reservedNano: 0n });
    await ask(token); // the failures left the whole limit

    // A process that died mid-request: its hold stays until it expires, then is swept.
    const now = new Date();
    expect(
      await holdTokenBudget(db, {
        tokenHash: hashToken(token),
        billTo: null,
        requestId: `crashed-${record.id}`,
        amountNano: 1_000_000n,
        now,
        expiresAt: new Date(now.getTime() - 1),
      }),
    ).toBe(true);
    expect((await windowOf(record.id, all))!.reservedNano).toBe(1_000_000n);
    expect(await sweepExpiredTokenHolds(db, new Date())).toBeGreaterThanOrEqual(1);
    expect((await windowOf(record.id, all))!.reservedNano).toBe(0n);

    // One that died after its request was billed, before its token hold was settled: the sweep
    // counts what it was billed.
    const before = (await windowOf(record.id, all))!.spentNano;
    const billedId = `billed-${record.id}`;
    await holdTokenBudget(db, {
      tokenHash: hashToken(token),
      billTo: null,
      requestId: billedId,
      amountNano: 1_000_000n,
      now,
      expiresAt: new Date(now.getTime() - 1),
    });
    await settleUsage(db, [
      {
        ...routedUsage(user.accountId, user.userId, now, 0, { tokenId: record.id }),
        id: billedId,
        inputTokens: 500,
      },
    ]);
    await sweepExpiredTokenHolds(db, new Date());
    expect(await windowOf(record.id, all)).toMatchObject({ spentNano: before + 500_000n, reservedNano: 0n });
  }, 60_000);

  it("a limit set on a token the router has seen without one applies to its very next request", async () => {
    await setBillingNow(db, new Date(), { production: false });
    const user = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, { userId: user.userId, name: "later" });
    await ask(token); // the router now knows the token, without a limit
    await setApiTokenLimit(db, {
      userId: user.userId,
      tokenId: record.id,
      limitCents: 1,
      limitReset: "daily",
    });
    // Its hold (about 2 cents) does not fit in 1 cent.
    expect((await routerRefusal(ask(token))).body).toMatchObject({
      code: "token_limit_reached",
      limitCents: 1,
    });
    const months = await db.accountPeriod.findMany({ where: { accountId: user.accountId } });
    expect(months.every((m) => m.reservedNano === 0n)).toBe(true);
  }, 60_000);

  it("a token without a limit behaves as before: no windows, no holds, its account's limit still applies", async () => {
    await setBillingNow(db, new Date(), { production: false });
    const org = await orgAccount(db, "team", 1, 1);
    const member = org.memberIds[0]!;
    const { token, record } = await createApiToken(db, { userId: member, name: "plain" });
    expect(record).toMatchObject({ limitCents: null, limitReset: null });
    await settleUsage(db, [routedUsage(org.accountId, member, new Date(), 200)]); // credits used up
    await setSpendingLimit(db, { accountId: org.accountId, actorUserId: member, limitCents: 3 });
    let orgRefusal: Awaited<ReturnType<typeof routerRefusal>> | null = null;
    for (let i = 0; i < 10 && !orgRefusal; i++) {
      await ask(token, "", org.orgName).catch(async (e: unknown) => {
        orgRefusal = await routerRefusal(Promise.reject(e));
      });
    }
    expect(orgRefusal!.body).toMatchObject({ code: "spending_limit_reached", limitCents: 3 });
    expect(await db.tokenWindow.count({ where: { tokenId: record.id } })).toBe(0);
    expect(await db.tokenHold.count({ where: { tokenId: record.id } })).toBe(0);
    // Its usage is still attributed to it.
    const { n } = await billedByToken(record.id);
    expect(Number(n)).toBeGreaterThan(0);
  }, 60_000);
});
