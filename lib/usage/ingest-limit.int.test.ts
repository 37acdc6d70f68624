import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceToken } from "@/lib/auth/tokens";
import { authorizeRequest } from "@/lib/ledger/authorize";
import { getSpendingLimit, setSpendingLimit } from "@/lib/org-controls/controls";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount } from "@/lib/testing/billing-fixtures";
import { ingestHandler } from "@/lib/api/ingest-http";

// Ingestion under the org's spending limit (issue 17, finding 3): an event is refused when the
// org's pay-as-you-go (with the holds of requests in flight) would pass the limit.

const db = testDb();
const served = ingestHandler(db);
let serviceToken: string;
beforeAll(async () => {
  await ensureTestCatalog(db);
  serviceToken = (await createServiceToken(db, { name: "external-router" })).token;
}, 60_000);
afterAll(() => db.$disconnect());

const CENT = 10_000_000n;
const at = new Date("2026-11-10T12:00:00Z");
const post = (events: unknown[]) =>
  callRoute((req: Request) => served(req), { method: "POST", token: serviceToken, body: { events } });

/** An event billed to `org` on test-routed costing `cents` (one input token is 1,000 nano-dollars). */
const orgEvent = (org: { orgName: string; memberIds: string[] }, cents: number) => ({
  id: `ext-${randomUUID()}`,
  userId: org.memberIds[0]!,
  billTo: org.orgName,
  provider: "test-routed",
  model: "test/model",
  mode: "routed",
  inputTokens: cents * 10_000,
  occurredAt: at.toISOString(),
});

/** A Team org of one seat ($2.00 of credits) with its credits used up and `limitCents` of pay-as-you-go allowed. */
async function orgAtCreditsEnd(limitCents: number) {
  const org = await orgAccount(db, "team", 1, 1);
  await setSpendingLimit(db, { accountId: org.accountId, actorUserId: org.memberIds[0]!, limitCents });
  expect((await post([orgEvent(org, 200)])).json).toMatchObject({ recorded: 1 });
  return org;
}

async function month(accountId: string) {
  return db.accountPeriod.findUniqueOrThrow({
    where: { accountId_period: { accountId, period: new Date("2026-11-01T00:00:00Z") } },
  });
}

/** The month's room under the limit as the holds' rule counts it: pay-as-you-go, plus holds beyond the credits left. */
const committed = (m: Awaited<ReturnType<typeof month>>) => {
  const beyond = m.reservedNano - (m.creditsIncludedNano - m.creditsUsedNano);
  return m.paygNano + (beyond > 0n ? beyond : 0n);
};

describe("POST /api/usage/events under the org's spending limit", () => {
  it("refuses an event that would take pay-as-you-go past the limit, and records nothing of it", async () => {
    const org = await orgAtCreditsEnd(53);
    const over = orgEvent(org, 100);
    const res = await post([over]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ recorded: 0, refused: 1 });
    expect((res.json.results as unknown[])[0]).toMatchObject({
      id: over.id,
      status: "refused",
      code: "spending_limit_reached",
      message: expect.stringMatching(/spending limit of \$0\.53/),
    });
    expect(await db.usageEvent.count({ where: { id: over.id } })).toBe(0);
    expect(await getSpendingLimit(db, org.accountId, at)).toMatchObject({ limitCents: 53, spentCents: 0 });

    // What fits still goes in, up to the limit exactly.
    const fits = [orgEvent(org, 50), orgEvent(org, 3), orgEvent(org, 1)];
    expect((await post(fits)).json).toMatchObject({ recorded: 2, refused: 1 });
    expect((await month(org.accountId)).paygNano).toBe(53n * CENT);
  });

  it("a refusal at the limit is the limit's 100% alert, as the router's is", async () => {
    const org = await orgAtCreditsEnd(53);
    expect((await post([orgEvent(org, 50)])).json).toMatchObject({ recorded: 1 });
    expect((await post([orgEvent(org, 4)])).json).toMatchObject({ refused: 1 });
    const alerts = await db.alert.findMany({ where: { accountId: org.accountId, kind: "spending_limit" } });
    expect(alerts.map((a) => a.level).sort()).toEqual([100, 50, 80]);
  });

  it("counts the holds of requests in flight against the limit", async () => {
    const org = await orgAtCreditsEnd(100);
    await authorizeRequest(db, {
      userId: org.memberIds[0]!,
      billTo: org.orgName,
      providerId: "test-routed",
      billingIntegrated: true,
      mode: "routed",
      requestId: randomUUID(),
      maxCostNano: 70n * CENT,
      now: at,
    });
    const res = await post([orgEvent(org, 31), orgEvent(org, 30)]);
    expect((res.json.results as { status: string }[]).map((r) => r.status)).toEqual(["refused", "recorded"]);
    expect(committed(await month(org.accountId))).toBe(100n * CENT);
  });

  it("holds under 30 concurrent batches near the limit: never a nano-dollar over, refused events not stored", async () => {
    const org = await orgAtCreditsEnd(500);
    await authorizeRequest(db, {
      userId: org.memberIds[0]!,
      billTo: org.orgName,
      providerId: "test-routed",
      billingIntegrated: true,
      mode: "routed",
      requestId: randomUUID(),
      maxCostNano: 40n * CENT,
      now: at,
    });
    // 30 batches of 8 events from 7 to 43 cents: about $60 asked for $4.60 of room.
    const batches = Array.from({ length: 30 }, (_, b) =>
      Array.from({ length: 8 }, (_, i) => orgEvent(org, 7 + (((b * 8 + i) * 13) % 37))),
    );
    const answers = await Promise.all(batches.map((events) => post(events)));
    const outcome = new Map<string, string>();
    for (const a of answers) {
      expect(a.status).toBe(200);
      for (const r of a.json.results as { id: string; status: string; code?: string }[]) {
        outcome.set(r.id, r.code ?? r.status);
      }
    }
    const all = batches.flat();
    const recorded = all.filter((e) => outcome.get(e.id) === "recorded");
    const refused = all.filter((e) => outcome.get(e.id) === "spending_limit_reached");
    expect(recorded.length + refused.length).toBe(all.length);
    expect(recorded.length).toBeGreaterThan(0);

    const m = await month(org.accountId);
    expect(committed(m)).toBeLessThanOrEqual(500n * CENT);
    // Tight as well as strict: nothing refused would have fitted in the room left at the end.
    const smallestRefused = Math.min(...refused.map((e) => e.inputTokens)) * 1_000;
    expect(500n * CENT - committed(m)).toBeLessThan(BigInt(smallestRefused));

    const stored = await db.usageEvent.findMany({
      where: { id: { in: all.map((e) => e.id) } },
      select: { id: true, paygNano: true },
    });
    expect(new Set(stored.map((s) => s.id))).toEqual(new Set(recorded.map((e) => e.id)));
    expect(stored.reduce((sum, s) => sum + s.paygNano, 0n)).toBe(m.paygNano);
  }, 60_000);
});
