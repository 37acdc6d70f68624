import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as holdRoute } from "@/app/api/usage/holds/route";
import { DELETE as releaseRoute } from "@/app/api/usage/holds/[id]/route";
import { createApiToken, createServiceToken } from "@/lib/auth/tokens";
import { billingNow, setBillingNow } from "@/lib/kernel/clock";
import { periodStart } from "@/lib/kernel/period";
import { setProviderEnabled, setSpendingLimit } from "@/lib/org-controls/controls";
import { sweepExpiredReservations } from "@/lib/ledger/reserve";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, userAccount } from "@/lib/testing/billing-fixtures";
import { ingestHandler } from "@/lib/api/ingest-http";

// Holds for external routers (issue 17, item 4): POST /api/usage/holds, settled by the event
// that names the holdId, released by DELETE, swept once expired.

const db = testDb();
const served = ingestHandler(db);
let service: string;
let otherService: string;
let now: Date;
beforeAll(async () => {
  await ensureTestCatalog(db);
  service = (await createServiceToken(db, { name: "external-router" })).token;
  otherService = (await createServiceToken(db, { name: "another-router" })).token;
  now = await billingNow(db, { production: false });
}, 60_000);
afterAll(() => db.$disconnect());

const CENT = 10_000_000n;
type Org = Awaited<ReturnType<typeof orgAccount>>;

const hold = (body: unknown, token = service) => callRoute(holdRoute, { method: "POST", token, body });
const release = (id: string, token = service) =>
  callRoute(releaseRoute, { method: "DELETE", token, params: { id } });
const ingest = (events: unknown[], token = service) =>
  callRoute((req: Request) => served(req), { method: "POST", token, body: { events } });

/** A hold request billed to `org` on test-routed, for `cents` of input tokens (1,000 nano-dollars each). */
const holdBody = (org: Org, cents: number, overrides: Record<string, unknown> = {}) => ({
  userId: org.memberIds[0]!,
  billTo: org.orgName,
  provider: "test-routed",
  model: "test/model",
  mode: "routed",
  inputTokens: cents * 10_000,
  ...overrides,
});
const event = (org: Org, cents: number, overrides: Record<string, unknown> = {}) => ({
  id: `ext-${randomUUID()}`,
  userId: org.memberIds[0]!,
  billTo: org.orgName,
  provider: "test-routed",
  model: "test/model",
  mode: "routed",
  inputTokens: cents * 10_000,
  occurredAt: now.toISOString(),
  ...overrides,
});

/** A Team org of one seat with its $2.00 of credits used and `limitCents` of pay-as-you-go allowed. */
async function orgAtCreditsEnd(limitCents: number | null) {
  const org = await orgAccount(db, "team", 1, 1);
  await setSpendingLimit(db, { accountId: org.accountId, actorUserId: org.memberIds[0]!, limitCents });
  expect((await ingest([event(org, 200)])).json).toMatchObject({ recorded: 1 });
  return org;
}

async function month(accountId: string) {
  return db.accountPeriod.findUniqueOrThrow({
    where: { accountId_period: { accountId, period: periodStart(now) } },
  });
}

/** Spend plus holds beyond the credits left: what the limit bounds. */
const committed = (m: Awaited<ReturnType<typeof month>>) => {
  const beyond = m.reservedNano - (m.creditsIncludedNano - m.creditsUsedNano);
  return m.paygNano + (beyond > 0n ? beyond : 0n);
};

type Placed = { holdId: string; expiresAt: string; amountNano: string };
type Result = { id: string; status: string; code?: string; costNano?: string; paygNano?: string };
const results = (res: Awaited<ReturnType<typeof ingest>>) => res.json.results as Result[];

describe("POST /api/usage/holds", () => {
  it("hold, then settle exactly once: billed at most the hold, the hold released, a replay counted once", async () => {
    const org = await orgAtCreditsEnd(500);
    const res = await hold(holdBody(org, 40));
    expect(res.status).toBe(201);
    const placed = res.json as unknown as Placed;
    expect(placed).toMatchObject({ holdId: expect.stringMatching(/^hold_/), amountNano: String(40n * CENT) });
    expect(new Date(placed.expiresAt).getTime()).toBeGreaterThan(now.getTime());
    expect((await month(org.accountId)).reservedNano).toBe(40n * CENT);

    // It reports more than it held: billed the hold's amount, never more.
    const settling = event(org, 55, { holdId: placed.holdId });
    const first = await ingest([settling]);
    expect(results(first)).toEqual([
      expect.objectContaining({
        status: "recorded",
        costNano: String(40n * CENT),
        paygNano: String(40n * CENT),
      }),
    ]);
    const after = await month(org.accountId);
    expect(after).toMatchObject({ reservedNano: 0n, paygNano: 40n * CENT });
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);

    expect(results(await ingest([settling]))).toEqual([expect.objectContaining({ status: "duplicate" })]);
    expect(await month(org.accountId)).toMatchObject({ reservedNano: 0n, paygNano: 40n * CENT });
    expect((await release(placed.holdId)).status).toBe(404); // settled: nothing left to release
  });

  it("a hold settled by an event of the next month goes back to the month it held on", async () => {
    const org = await orgAtCreditsEnd(500);
    const placed = (await hold(holdBody(org, 40))).json as unknown as Placed;
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 1));
    // The event comes just after midnight, by the billing clock (a later date is refused as in the future).
    const offset = (await db.billingClock.findUnique({ where: { id: 1 } }))?.offsetMs ?? 0n;
    await setBillingNow(db, new Date(next.getTime() + 1_000), { production: false });
    try {
      const res = await ingest([event(org, 10, { holdId: placed.holdId, occurredAt: next.toISOString() })]);
      expect(results(res)[0]).toMatchObject({ status: "recorded", costNano: String(10n * CENT) });
    } finally {
      await setBillingNow(db, new Date(Date.now() + Number(offset)), { production: false });
    }
    expect((await month(org.accountId)).reservedNano).toBe(0n);
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
  });

  it("hold, then release: the room comes back at once; only the service that placed it may release it", async () => {
    const org = await orgAtCreditsEnd(100);
    const placed = (await hold(holdBody(org, 80))).json as unknown as Placed;
    expect((await hold(holdBody(org, 30))).json.error).toMatchObject({ code: "spending_limit_reached" });

    const foreign = await release(placed.holdId, otherService);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error).toMatchObject({ code: "not_found" });
    expect((await month(org.accountId)).reservedNano).toBe(80n * CENT);

    const released = await release(placed.holdId);
    expect(released.status).toBe(204);
    expect((await month(org.accountId)).reservedNano).toBe(0n);
    expect((await release(placed.holdId)).status).toBe(404);
    expect((await hold(holdBody(org, 30))).status).toBe(201);
  });

  it("an unsettled hold expires: the billing jobs' sweep releases it, and a late event is billed without it", async () => {
    const org = await orgAtCreditsEnd(50);
    const placed = (await hold(holdBody(org, 50))).json as unknown as Placed;
    // Not before its time (the sweep may release other tests' holds, placed earlier).
    await sweepExpiredReservations(db, new Date(placed.expiresAt));
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(1);
    expect(
      await sweepExpiredReservations(db, new Date(new Date(placed.expiresAt).getTime() + 1)),
    ).toBeGreaterThan(0);
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
    expect((await month(org.accountId)).reservedNano).toBe(0n);
    expect((await release(placed.holdId)).status).toBe(404);

    // Its room is gone back to the month: a late event naming it is billed as one without a hold.
    const spent = await ingest([event(org, 30)]);
    expect(results(spent)[0]).toMatchObject({ status: "recorded" });
    const late = await ingest([event(org, 25, { holdId: placed.holdId })]);
    expect(results(late)[0]).toMatchObject({ status: "refused", code: "spending_limit_reached" });
    expect((await month(org.accountId)).paygNano).toBe(30n * CENT);
  });

  it("refuses as the router refuses: 402 with the limit's figures when there is no room, 403 and 404 with their codes", async () => {
    const org = await orgAtCreditsEnd(53);
    const full = await hold(holdBody(org, 54));
    expect(full.status).toBe(402);
    expect(full.json.error).toMatchObject({
      code: "spending_limit_reached",
      limit: "spending_limit",
      limitCents: 53,
      spentCents: 0,
      reservedCents: 0,
      resetsAt: expect.any(String),
      org: org.orgName,
      message: expect.stringMatching(/Ask an org admin to raise the limit/),
    });
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
    expect((await hold(holdBody(org, 53))).status).toBe(201);

    const free = await userAccount(db, "free");
    const freeBody = { ...holdBody(org, 11), userId: free.userId, billTo: undefined };
    expect((await hold(freeBody)).json.error).toMatchObject({ code: "credits_exhausted", limitCents: 10 });

    const outsider = await userAccount(db, "pro");
    const cases: [Record<string, unknown>, number, string][] = [
      [{ userId: outsider.userId }, 403, "not_org_member"],
      [{ provider: "test-byok" }, 403, "provider_not_integrated"],
      [{ userId: randomUUID() }, 404, "user_not_found"],
      [{ billTo: "no-such-org-anywhere" }, 404, "org_not_found"],
      [{ model: "test/unknown" }, 404, "model_not_found"],
      [{ provider: "nowhere" }, 404, "model_not_found"],
    ];
    for (const [overrides, status, code] of cases) {
      const res = await hold(holdBody(org, 1, overrides));
      expect([res.status, res.json.error?.code]).toEqual([status, code]);
    }
    await setProviderEnabled(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      providerId: "test-routed",
      enabled: false,
    });
    expect((await hold(holdBody(org, 1))).json.error).toMatchObject({ code: "provider_disabled" });
  });

  it("20 identical hold requests at once at the limit: only as many holds as fit", async () => {
    const org = await orgAtCreditsEnd(250);
    const answers = await Promise.all(Array.from({ length: 20 }, () => hold(holdBody(org, 40))));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(6); // 6 x $0.40 = $2.40 of $2.50
    expect(statuses.filter((s) => s === 402)).toHaveLength(14);
    const m = await month(org.accountId);
    expect(m.reservedNano).toBe(240n * CENT);
    expect(committed(m)).toBeLessThanOrEqual(250n * CENT);
  });

  it("20 settles of one hold at once settle it once", async () => {
    const org = await orgAtCreditsEnd(300);
    // The same event 20 times: recorded once, 19 duplicates, the hold released once.
    const a = (await hold(holdBody(org, 40))).json as unknown as Placed;
    const settling = event(org, 30, { holdId: a.holdId });
    const same = await Promise.all(Array.from({ length: 20 }, () => ingest([settling])));
    const statuses = same.flatMap((r) => results(r).map((x) => x.status));
    expect(statuses.filter((s) => s === "recorded")).toHaveLength(1);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
    expect(await month(org.accountId)).toMatchObject({ reservedNano: 0n, paygNano: 30n * CENT });

    // 20 different events naming one hold: one settles it (billed the hold, capped); the others
    // are billed without a hold, within the room left, or refused.
    const b = (await hold(holdBody(org, 40))).json as unknown as Placed;
    const events = Array.from({ length: 20 }, () => event(org, 45, { holdId: b.holdId }));
    const answers = await Promise.all(events.map((e) => ingest([e])));
    const outcomes = answers.flatMap(results);
    expect(outcomes.filter((r) => r.costNano === String(40n * CENT))).toHaveLength(1);
    const m = await month(org.accountId);
    expect(m.reservedNano).toBe(0n);
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
    expect(committed(m)).toBeLessThanOrEqual(300n * CENT);
    const recorded = outcomes.filter((r) => r.status === "recorded");
    expect(m.paygNano).toBe(30n * CENT + recorded.reduce((sum, r) => sum + BigInt(r.paygNano!), 0n));
    expect(
      outcomes.filter((r) => r.status === "refused").every((r) => r.code === "spending_limit_reached"),
    ).toBe(true);
  }, 60_000);

  it("an event naming a hold on another account, or one hold twice in a batch, rejects the batch", async () => {
    const org = await orgAtCreditsEnd(500);
    const other = await orgAtCreditsEnd(500);
    const placed = (await hold(holdBody(org, 10))).json as unknown as Placed;
    const res = await ingest([event(other, 5, { holdId: placed.holdId })]);
    expect(res.status).toBe(400);
    expect((res.json.error as unknown as { errors: { code: string }[] }).errors).toEqual([
      expect.objectContaining({ code: "hold_mismatch" }),
    ]);
    const twice = await ingest([
      event(org, 5, { holdId: placed.holdId }),
      event(org, 5, { holdId: placed.holdId }),
    ]);
    expect((twice.json.error as unknown as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(
      ["duplicate_hold_in_batch", "duplicate_hold_in_batch"],
    );
    // Another service's event does not reach it: billed without a hold, which stays.
    const foreign = await ingest([event(org, 5, { holdId: placed.holdId })], otherService);
    expect(results(foreign)[0]).toMatchObject({ status: "recorded", costNano: String(5n * CENT) });
    expect((await month(org.accountId)).reservedNano).toBe(10n * CENT);
  });

  it("bad input gets a 4xx with the error shape, never a 5xx, and holds nothing", async () => {
    const org = await orgAtCreditsEnd(500);
    const { token: userToken } = await createApiToken(db, { userId: org.memberIds[0]!, name: "user" });
    const fixed: [unknown, string | undefined, number][] = [
      [holdBody(org, 1, { provider: "test-routed\u0000" }), service, 400],
      [holdBody(org, 1, { model: "test/\u0000model" }), service, 400],
      [holdBody(org, 1, { billTo: "acme\u0000" }), service, 400],
      [holdBody(org, 1, { inputTokens: 2 ** 53 }), service, 400],
      [holdBody(org, 1, { outputTokens: 1e308 }), service, 400],
      [holdBody(org, 1, { computeMs: -1 }), service, 400],
      [holdBody(org, 1, { mode: "custom_key" }), service, 400],
      [holdBody(org, 1, { extra: true }), service, 400],
      [holdBody(org, 1), undefined, 401],
      [holdBody(org, 1), "hf_not-a-real-token", 401],
      [holdBody(org, 1), userToken, 403],
    ];
    for (const [body, token, status] of fixed) {
      const res = await callRoute(holdRoute, { method: "POST", token, body });
      expect([res.status, typeof res.json.error?.code, typeof res.json.error?.message]).toEqual([
        status,
        "string",
        "string",
      ]);
    }
    for (const id of ["nope", "hold_\u0000", `hold_${"0".repeat(64)}`, `hold_${"g".repeat(64)}`]) {
      const res = await release(id);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.json.error?.code).toBe("string");
    }
    expect((await release((await hold(holdBody(org, 1))).json.holdId as string, userToken)).status).toBe(403);

    const fields = fc.record(
      {
        userId: fc.oneof(fc.constant(org.memberIds[0]!), fc.uuid(), fc.string()),
        billTo: fc.oneof(fc.constant(org.orgName), fc.string(), fc.constant(null)),
        provider: fc.oneof(fc.constant("test-routed"), fc.string({ unit: "binary" })),
        model: fc.oneof(fc.constant("test/model"), fc.string({ unit: "binary" })),
        mode: fc.oneof(fc.constant("routed"), fc.string()),
        inputTokens: fc.oneof(
          fc.integer({ min: -5, max: 5 }),
          fc.constant(2 ** 31),
          fc.double(),
          fc.string(),
        ),
        computeMs: fc.oneof(fc.nat(), fc.constant(-1), fc.bigInt().map(String)),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fields, fc.anything()), async (body) => {
        const res = await hold(body);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(typeof res.json.error?.code).toBe("string");
        else await release(res.json.holdId as string);
      }),
      { numRuns: 300 },
    );
    expect((await month(org.accountId)).reservedNano).toBe(1n * CENT); // the one hold left above
  }, 120_000);
});
