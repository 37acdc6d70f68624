import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { settleUsage } from "@/lib/ledger/settle";
import { AppError } from "@/lib/kernel/errors";
import { authorizeRequest } from "./authorize";
import { releaseReservation, sweepExpiredReservations, RESERVATION_TTL_MS } from "./reserve";
import { setProviderEnabled, setSpendingLimit } from "@/lib/org-controls/controls";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const DOLLAR = 1_000_000_000n;
const now = new Date("2026-11-10T12:00:00Z");

async function periodOf(accountId: string) {
  return db.accountPeriod.findUniqueOrThrow({
    where: { accountId_period: { accountId, period: new Date("2026-11-01T00:00:00Z") } },
  });
}

/** Authorize (hold $1) then settle $1, as the router does; the refusal code when refused. */
async function request(org: { orgName: string; accountId: string }, userId: string) {
  const requestId = `req-${randomUUID()}`;
  try {
    await authorizeRequest(db, {
      userId,
      billTo: org.orgName,
      providerId: "test-routed",
      billingIntegrated: true,
      mode: "routed",
      requestId,
      maxCostNano: DOLLAR,
      now,
    });
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  await settleUsage(db, [routedUsage(org.accountId, userId, now, 100, { id: requestId })]);
  return "settled" as const;
}

describe("the spending limit", () => {
  it("holds under 200 concurrent requests: spend stays within it, every refusal is 402, nothing is lost or counted twice", async () => {
    // Team, 5 seats: $10 of credits; a $40 limit on pay-as-you-go leaves room for 50 requests of $1.
    const org = await orgAccount(db, "team", 5, 3);
    await setSpendingLimit(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      limitCents: 4_000,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request(org, org.memberIds[i % 3]!)),
    );

    const settled = outcomes.filter((o) => o === "settled").length;
    const refused = outcomes.filter((o): o is AppError => o instanceof AppError);
    expect(settled).toBe(50);
    expect(refused).toHaveLength(150);
    for (const r of refused) {
      expect(r.status).toBe(402);
      expect(r.code).toBe("spending_limit_reached");
      expect(r.details).toMatchObject({ limit: "spending_limit", limitCents: 4_000, org: org.orgName });
      expect(r.message).toMatch(/Ask an org admin to raise the limit/);
    }

    const counters = await periodOf(org.accountId);
    expect(counters.paygNano).toBeLessThanOrEqual(40n * DOLLAR);
    expect(counters).toMatchObject({
      creditsUsedNano: 10n * DOLLAR,
      paygNano: 40n * DOLLAR,
      reservedNano: 0n,
    });
    const [events] = await db.$queryRaw<{ n: bigint; payg: bigint; credits: bigint }[]>`
      SELECT count(*) AS n, sum(payg_nano)::bigint AS payg, sum(credits_nano)::bigint AS credits FROM usage_events WHERE account_id = ${org.accountId}::uuid`;
    const [daily] = await db.$queryRaw<{ n: bigint; payg: bigint; credits: bigint }[]>`
      SELECT sum(requests)::bigint AS n, sum(payg_nano)::bigint AS payg, sum(credits_nano)::bigint AS credits FROM usage_daily WHERE account_id = ${org.accountId}::uuid`;
    expect(events).toEqual({ n: 50n, payg: counters.paygNano, credits: counters.creditsUsedNano });
    expect(daily).toEqual(events);
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
  }, 60_000);

  it("raising the limit lets requests through again; removing it lifts it", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const admin = org.memberIds[0]!;
    await setSpendingLimit(db, { accountId: org.accountId, actorUserId: admin, limitCents: 0 });
    for (let i = 0; i < 2; i++) expect(await request(org, admin)).toBe("settled"); // $2 of credits
    expect(await request(org, admin)).toMatchObject({ code: "spending_limit_reached" });
    await setSpendingLimit(db, { accountId: org.accountId, actorUserId: admin, limitCents: 100 });
    expect(await request(org, admin)).toBe("settled");
    await setSpendingLimit(db, { accountId: org.accountId, actorUserId: admin, limitCents: null });
    expect(await request(org, admin)).toBe("settled");
    const log = await db.auditLog.findMany({
      where: { accountId: org.accountId },
      orderBy: { createdAt: "asc" },
    });
    expect(log.map((l) => [l.action, l.before, l.after])).toEqual([
      ["spending_limit.update", { limitCents: null }, { limitCents: 0 }],
      ["spending_limit.update", { limitCents: 0 }, { limitCents: 100 }],
      ["spending_limit.update", { limitCents: 100 }, { limitCents: null }],
    ]);
    expect(log.every((l) => l.actorUserId === admin)).toBe(true);
  });
});

describe("who pays and what they allow", () => {
  it("refuses a non-member, a Free org, a disabled provider, a non-integrated provider", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const outsider = await userAccount(db, "pro");
    const base = {
      billingIntegrated: true,
      mode: "routed" as const,
      requestId: "x",
      maxCostNano: 1n,
      now,
      providerId: "test-routed",
    };
    await expect(
      authorizeRequest(db, {
        ...base,
        userId: outsider.userId,
        billTo: org.orgName,
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ status: 403, code: "not_org_member" });

    const freeOrg = await db.organization.create({
      data: {
        name: `free-${randomUUID().slice(0, 8)}`,
        displayName: "Free org",
        billingAccount: { create: { kind: "org", plan: "free" } },
      },
    });
    await db.membership.create({ data: { orgId: freeOrg.id, userId: outsider.userId, role: "admin" } });
    await expect(
      authorizeRequest(db, {
        ...base,
        userId: outsider.userId,
        billTo: freeOrg.name,
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ status: 403, code: "org_plan_required" });

    await setProviderEnabled(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      providerId: "test-routed",
      enabled: false,
    });
    await expect(
      authorizeRequest(db, {
        ...base,
        userId: org.memberIds[0]!,
        billTo: org.orgName,
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ status: 403, code: "provider_disabled" });
    // ...also for custom-key requests billed to the org
    await expect(
      authorizeRequest(db, {
        ...base,
        mode: "custom_key",
        userId: org.memberIds[0]!,
        billTo: org.orgName,
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: "provider_disabled" });
    // ...but the member's own account is not affected by the org's choice
    await expect(
      authorizeRequest(db, { ...base, userId: org.memberIds[0]!, billTo: null, requestId: randomUUID() }),
    ).resolves.toMatchObject({ reservationId: expect.any(String) });

    await expect(
      authorizeRequest(db, {
        ...base,
        providerId: "test-byok",
        billingIntegrated: false,
        userId: outsider.userId,
        billTo: null,
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ status: 403, code: "provider_not_integrated" });
    await expect(
      authorizeRequest(db, {
        ...base,
        providerId: "test-byok",
        billingIntegrated: false,
        mode: "custom_key",
        userId: outsider.userId,
        billTo: null,
        requestId: randomUUID(),
      }),
    ).resolves.toMatchObject({ reservationId: null });
  });

  it("cuts a Free user off at $0.10 with the credits, their value, what is spent and the reset date", async () => {
    const { userId } = await userAccount(db, "free");
    const base = {
      userId,
      billTo: null,
      providerId: "test-routed",
      billingIntegrated: true,
      mode: "routed" as const,
      maxCostNano: 40_000_000n,
      now,
    };
    await authorizeRequest(db, { ...base, requestId: randomUUID() });
    await authorizeRequest(db, { ...base, requestId: randomUUID() });
    const refused = await authorizeRequest(db, { ...base, requestId: randomUUID() }).catch(
      (e: AppError) => e,
    );
    expect(refused).toMatchObject({
      status: 402,
      code: "credits_exhausted",
      details: { limit: "monthly_credits", limitCents: 10, resetsAt: "2026-12-01T00:00:00.000Z" },
    });
  });
});

describe("holds", () => {
  it("are released when the request fails, and swept when never settled", async () => {
    const { userId, accountId } = await userAccount(db, "free");
    const base = {
      userId,
      billTo: null,
      providerId: "test-routed",
      billingIntegrated: true,
      mode: "routed" as const,
      maxCostNano: 100_000_000n,
      now,
    };
    const a = randomUUID();
    await authorizeRequest(db, { ...base, requestId: a });
    await expect(authorizeRequest(db, { ...base, requestId: randomUUID() })).rejects.toMatchObject({
      code: "credits_exhausted",
    });
    await releaseReservation(db, { accountId, requestId: a });
    expect(await periodOf(accountId)).toMatchObject({ reservedNano: 0n });

    await authorizeRequest(db, { ...base, requestId: randomUUID() }); // the process "dies" before settling
    expect(
      await sweepExpiredReservations(db, new Date(Date.now() + RESERVATION_TTL_MS + 1_000)),
    ).toBeGreaterThanOrEqual(1);
    expect(await periodOf(accountId)).toMatchObject({ reservedNano: 0n, creditsUsedNano: 0n });
    await authorizeRequest(db, { ...base, requestId: randomUUID() });
  });

  it("cap what is billed: a request is never billed more than its hold", async () => {
    const { userId, accountId } = await userAccount(db, "pro");
    const requestId = randomUUID();
    await authorizeRequest(db, {
      userId,
      billTo: null,
      providerId: "test-routed",
      billingIntegrated: true,
      mode: "routed",
      maxCostNano: 1_000_000n,
      requestId,
      now,
    });
    const { results } = await settleUsage(db, [routedUsage(accountId, userId, now, 50, { id: requestId })]);
    expect(results[0]).toMatchObject({ status: "recorded", costNano: 1_000_000n });
  });
});
