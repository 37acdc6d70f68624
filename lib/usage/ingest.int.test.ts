import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/usage/events/route";
import { createApiToken, createServiceToken } from "@/lib/auth/tokens";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, userAccount } from "@/lib/testing/billing-fixtures";
import { ingestHandler } from "@/lib/api/ingest-http";

const db = testDb();
/** The handler npm start serves the path with (a real Request is an HttpRequest). */
const served = ingestHandler(db);
let serviceToken: string;
beforeAll(async () => {
  await ensureTestCatalog(db);
  serviceToken = (await createServiceToken(db, { name: "external-router" })).token;
}, 60_000);
afterAll(() => db.$disconnect());

const event = (userId: string, overrides: Record<string, unknown> = {}) => ({
  id: `ext-${randomUUID()}`,
  userId,
  provider: "test-routed",
  model: "test/model",
  mode: "routed",
  inputTokens: 1_000_000, // $1.00
  occurredAt: "2026-10-15T10:00:00Z",
  ...overrides,
});

/** Everything the database holds about an account's money: events, rollups and month counters. */
async function ledger(accountId: string) {
  const [events] = await db.$queryRaw<
    { n: bigint; cost: bigint | null; payg: bigint | null; credits: bigint | null }[]
  >`
    SELECT count(*) AS n, sum(cost_nano)::bigint AS cost, sum(payg_nano)::bigint AS payg, sum(credits_nano)::bigint AS credits
    FROM usage_events WHERE account_id = ${accountId}::uuid`;
  const [daily] = await db.$queryRaw<
    { n: bigint | null; cost: bigint | null; payg: bigint | null; credits: bigint | null }[]
  >`
    SELECT sum(requests)::bigint AS n, sum(cost_nano)::bigint AS cost, sum(payg_nano)::bigint AS payg, sum(credits_nano)::bigint AS credits
    FROM usage_daily WHERE account_id = ${accountId}::uuid`;
  const [counters] = await db.$queryRaw<{ payg: bigint | null; credits: bigint | null }[]>`
    SELECT sum(payg_nano)::bigint AS payg, sum(credits_used_nano)::bigint AS credits FROM account_periods WHERE account_id = ${accountId}::uuid`;
  return { events: events!, daily: daily!, counters: counters! };
}

function expectConsistent(l: Awaited<ReturnType<typeof ledger>>) {
  expect(l.daily.n ?? 0n).toBe(l.events.n);
  expect(l.daily.cost ?? 0n).toBe(l.events.cost ?? 0n);
  expect(l.counters.payg ?? 0n).toBe(l.events.payg ?? 0n);
  expect(l.counters.credits ?? 0n).toBe(l.events.credits ?? 0n);
}

// Both ways the path is served: by npm start directly (as production runs), and by the app
// route through Next (next dev): every test runs against each.
describe.each([
  ["served by npm start", (req: Request) => served(req)],
  ["the app route", ingest],
])("POST /api/usage/events, %s", (_, handler) => {
  const post = (body: unknown, token = serviceToken) => callRoute(handler, { method: "POST", token, body });

  it("records a batch, billed to the user or to the org named in billTo, and keeps who made it", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    const [member] = org.memberIds;
    const personal = await db.billingAccount.findUniqueOrThrow({ where: { userId: member } });
    const res = await post({
      events: [
        event(member!, { inputTokens: 10_000 }), // $0.01 of the member's own Free credits
        event(member!, { billTo: org.orgName }),
        event(member!, { mode: "custom_key", provider: "test-byok" }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ recorded: 3, duplicates: 0, refused: 0 });
    expect(await db.usageEvent.count({ where: { accountId: personal.id } })).toBe(2);
    expect(await db.usageEvent.findFirst({ where: { accountId: org.accountId } })).toMatchObject({
      userId: member,
    });
  });

  it("replay: every batch sent 3 times gives identical totals", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const batches = Array.from({ length: 5 }, (_, b) =>
      Array.from({ length: 200 }, (_, i) =>
        event(userId, {
          inputTokens: 1_000 * (b * 200 + i + 1),
          occurredAt: `2026-10-${String(1 + (i % 28)).padStart(2, "0")}T08:00:00Z`,
        }),
      ),
    );
    for (const events of batches) expect((await post({ events })).json).toMatchObject({ recorded: 200 });
    const once = await ledger(accountId);
    for (let round = 0; round < 2; round++) {
      // Sent again, in another order and concurrently: acknowledged, never counted again.
      const results = await Promise.all([...batches].reverse().map((events) => post({ events })));
      for (const r of results) expect(r.json).toMatchObject({ recorded: 0, duplicates: 200 });
    }
    expect(await ledger(accountId)).toEqual(once);
    expectConsistent(once);
    expect(once.events.n).toBe(1_000n);
  });

  it("rejects a batch with one malformed event: per-event errors, nothing written", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const res = await post({
      events: [event(userId), event(userId, { inputTokens: -5 }), event(userId, { provider: "nowhere" })],
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "invalid_events" });
    const errors = (res.json.error as unknown as { errors: { index: number; message: string }[] }).errors;
    expect(errors.map((e) => e.index)).toEqual([1, 2]);
    expect(await db.usageEvent.count({ where: { accountId } })).toBe(0);
  });

  it("rejects a batch carrying one id twice: each copy's error is duplicate_id_in_batch, nothing written", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const first = event(userId, { inputTokens: 1_000 });
    const other = event(userId);
    const res = await post({ events: [first, other, { ...first, inputTokens: 2_000 }] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "invalid_events" });
    const errors = (res.json.error as unknown as { errors: { index: number; id?: string; code: string }[] })
      .errors;
    expect(errors).toEqual([
      expect.objectContaining({ index: 0, id: first.id, code: "duplicate_id_in_batch" }),
      expect.objectContaining({ index: 2, id: first.id, code: "duplicate_id_in_batch" }),
    ]);
    expect(await db.usageEvent.count({ where: { accountId } })).toBe(0);
  });

  it("refuses NUL bytes (the whole batch, saying where) and control characters (as invalid events), not as a server error", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const nul = await post({
      events: [event(userId), event(userId, { provider: "test-routed\u0000" })],
    });
    expect(nul.status).toBe(400);
    expect(nul.json.error).toMatchObject({ code: "invalid_input", path: "body.events.1.provider" });
    const control = await post({ events: [event(userId, { model: "test/\nmodel" })] });
    expect(control.status).toBe(400);
    expect(control.json.error).toMatchObject({ code: "invalid_events" });
    expect(await db.usageEvent.count({ where: { accountId } })).toBe(0);
  });

  it("gives every per-event error a stable code beside its message", async () => {
    const { userId } = await userAccount(db, "pro");
    const res = await post({
      events: [
        event(userId, { inputTokens: -5 }),
        event(randomUUID()),
        event(userId, { billTo: "no-such-org-anywhere" }),
        event(userId, { provider: "nowhere" }),
        event(userId, { occurredAt: "2001-01-01T00:00:00Z" }),
        event(userId, { occurredAt: "9999-12-31T23:59:59Z" }),
        event(userId, { occurredAt: new Date(Date.now() + 6 * 60_000).toISOString() }),
      ],
    });
    const errors = (res.json.error as unknown as { errors: { code: string; message: string }[] }).errors;
    expect(errors.map((e) => e.code)).toEqual([
      "invalid_event",
      "user_not_found",
      "org_not_found",
      "model_not_found",
      "past_retention",
      "occurred_in_future",
      "occurred_in_future",
    ]);
    for (const e of errors) expect(e.message).toEqual(expect.any(String));
  });

  it("returns refusals the billing rules make, and records the rest", async () => {
    const { userId } = await userAccount(db, "free");
    const res = await post({
      events: [
        event(userId, { inputTokens: 50_000 }),
        event(userId),
        event(userId, { provider: "test-byok" }),
      ],
    });
    expect(res.json).toMatchObject({ recorded: 1, refused: 2 });
    const codes = (res.json.results as { status: string; code?: string }[]).map((r) => r.code ?? r.status);
    expect(codes).toEqual(["recorded", "credits_exhausted", "provider_not_integrated"]);
  });

  it("needs a service token: no token 401, a user token 403", async () => {
    const { userId } = await userAccount(db, "pro");
    const { token } = await createApiToken(db, { userId, name: "user" });
    expect((await callRoute(handler, { method: "POST", body: { events: [event(userId)] } })).status).toBe(
      401,
    );
    expect((await post({ events: [event(userId)] }, token)).status).toBe(403);
    expect((await post({ events: [event(userId)] }, "hf_not-a-real-token")).status).toBe(401);
  });

  it("refuses batches over 1,000 events", async () => {
    const { userId } = await userAccount(db, "pro");
    const res = await post({ events: Array.from({ length: 1_001 }, () => event(userId)) });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe("invalid_request");
  });

  it("property: thousands of malformed payloads get a 4xx with the error shape, never a 5xx, and change nothing", async () => {
    const { userId } = await userAccount(db, "pro");
    const before = await db.usageEvent.count();
    const malformedEvent = fc.oneof(
      fc.anything(),
      // Every field may be valid except inputTokens, which never is: the event is always malformed.
      fc.record({
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(""), fc.constant("has space")),
        userId: fc.oneof(fc.uuid(), fc.string(), fc.constant(userId)),
        provider: fc.oneof(fc.string(), fc.constant("test-routed"), fc.constant(null)),
        model: fc.oneof(fc.string(), fc.constant("test/model")),
        mode: fc.oneof(fc.string(), fc.constant("routed")),
        inputTokens: fc.oneof(
          fc.integer({ min: -10, max: -1 }),
          fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }), // NaN would become null
          fc.string(),
          fc.constant(2 ** 40),
        ),
        occurredAt: fc.oneof(
          fc.string(),
          fc.date().map((d) => (isNaN(d.getTime()) ? "x" : d.toISOString())),
          fc.constant("2026-13-45T99:00:00Z"),
        ),
      }),
    );
    const payload = fc.oneof(
      fc.anything(),
      fc.record({ events: fc.array(malformedEvent, { minLength: 1, maxLength: 5 }) }),
      fc.record({ events: fc.anything() }),
      fc.string().map((s) => ({ raw: s })),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (body) => {
        const res = await callRoute(handler, {
          method: "POST",
          token: serviceToken,
          rawBody:
            typeof body === "object" && body && "raw" in body
              ? String((body as { raw: string }).raw)
              : JSON.stringify(body),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof res.json.error?.code).toBe("string");
        expect(typeof res.json.error?.message).toBe("string");
      }),
      { numRuns: 2_000 },
    );
    expect(await db.usageEvent.count()).toBe(before);
  }, 120_000);
});

it("served by npm start, other methods get 405 with the error shape", async () => {
  const res = await callRoute((req: Request) => served(req), {
    method: "GET",
    token: serviceToken,
  });
  expect(res.status).toBe(405);
  expect(res.json.error?.code).toBe("method_not_allowed");
});
