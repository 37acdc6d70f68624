import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as limitPreview from "@/app/api/organizations/[org]/spending-limit/preview/route";
import * as providerPreview from "@/app/api/organizations/[org]/providers/[provider]/preview/route";
import { addMember } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { createApiToken } from "@/lib/auth/tokens";
import { billingNow } from "@/lib/kernel/clock";
import { previousPeriod, periodStart } from "@/lib/kernel/period";
import { recordUsage } from "@/lib/ledger/record-usage";
import { setProviderEnabled } from "@/lib/org-controls/controls";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { callRoute } from "@/lib/testing/call-route";
import { testDb, uniqueEmail } from "@/lib/testing/db";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const DOLLAR = 1_000_000_000n;
const HOUR = 3_600_000;
const tokenFor = async (userId: string) => (await createApiToken(db, { userId, name: "test" })).token;

/**
 * A Team org with 1 seat ($2 of credits) whose previous month (by the billing clock) holds ten
 * routed $1 requests, on days 3 to 12 at 14:05 UTC, one custom-key request (never capped) and one
 * routed request this month (not last month's).
 */
async function orgWithLastMonth() {
  const org = await orgAccount(db, "team", 1, 2); // members[0] admin, members[1] write
  const [admin, writer] = org.memberIds as [string, string];
  const now = await billingNow(db, { production: false });
  const month = previousPeriod(periodStart(now));
  const at = (day: number) => new Date(month.getTime() + (day - 1) * 24 * HOUR + 14 * HOUR + 5 * 60_000);
  for (let day = 3; day <= 12; day++) await recordUsage(db, routedUsage(org.accountId, admin, at(day), 100));
  await recordUsage(
    db,
    routedUsage(org.accountId, writer, at(5), 700, { providerId: "test-byok", mode: "custom_key" }),
  );
  await recordUsage(db, routedUsage(org.accountId, admin, now, 300));
  return {
    ...org,
    admin,
    writer,
    month,
    at,
    adminToken: await tokenFor(admin),
    writerToken: await tokenFor(writer),
  };
}

const previewAs = (token: string, org: string, query: string) =>
  callRoute(limitPreview.GET, {
    token,
    params: { org },
    url: `http://localhost/api/organizations/${org}/spending-limit/preview?${query}`,
  });

/** Last month's routed events as the ledger has them. */
async function ledger(accountId: string, month: Date) {
  const [row] = await db.$queryRaw<{ n: bigint; payg: bigint; cost: bigint }[]>`
    SELECT count(*) AS n, coalesce(sum(payg_nano), 0)::bigint AS payg, coalesce(sum(cost_nano), 0)::bigint AS cost
    FROM usage_events WHERE account_id = ${accountId}::uuid AND mode = 'routed'
      AND occurred_at >= ${month} AND occurred_at < ${new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))}`;
  return row!;
}

describe("GET /api/organizations/{org}/spending-limit/preview", () => {
  it("replays last month: credits first, then refuses what would pass the limit, agreeing with the ledger", async () => {
    const o = await orgWithLastMonth();
    const books = await ledger(o.accountId, o.month);
    expect(books.n).toBe(10n);

    // $5 limit on top of $2 credits: the first 7 pass, from the 8th (day 10) on, refused.
    const res = await previewAs(o.adminToken, o.orgName, "limitCents=500");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      month: o.month.toISOString().slice(0, 7),
      limitCents: 500,
      creditsIncludedNano: (2n * DOLLAR).toString(),
      requests: 10,
      costNano: books.cost.toString(),
      billedPaygNano: books.payg.toString(),
      acceptedCreditsNano: (2n * DOLLAR).toString(),
      acceptedPaygNano: (5n * DOLLAR).toString(),
      refused: { requests: 3, costNano: (3n * DOLLAR).toString(), firstAt: o.at(10).toISOString() },
    });
    const days = res.json.days as { day: string; refusedRequests: number }[];
    expect(days).toHaveLength(10);
    expect(days.filter((d) => d.refusedRequests > 0).map((d) => d.day)).toEqual(
      [10, 11, 12].map((d) => o.at(d).toISOString().slice(0, 10)),
    );

    // A limit above last month's spend refuses nothing and bills exactly what the ledger billed.
    const high = await previewAs(o.adminToken, o.orgName, "limitCents=100000");
    expect(high.json).toMatchObject({
      refused: { requests: 0, firstAt: null },
      acceptedPaygNano: books.payg.toString(),
    });
  });

  it("shows a month without usage as nothing to refuse", async () => {
    const org = await orgAccount(db, "enterprise", 2, 1);
    const res = await previewAs(await tokenFor(org.memberIds[0]!), org.orgName, "limitCents=0");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ requests: 0, refused: { requests: 0, firstAt: null }, days: [] });
  });

  it("is for admins only, and validates the limit", async () => {
    const o = await orgWithLastMonth();
    const outsider = await userAccount(db, "pro");
    const reader = await createUser(db, {
      email: uniqueEmail("reader"),
      password: "correct horse battery",
      plan: "free",
    });
    await addMember(db, { orgName: o.orgName, email: reader.email, role: "read" });

    const writer = await previewAs(o.writerToken, o.orgName, "limitCents=500");
    expect([writer.status, writer.json.error?.code]).toEqual([403, "forbidden"]);
    const read = await previewAs(await tokenFor(reader.id), o.orgName, "limitCents=500");
    expect([read.status, read.json.error?.code]).toEqual([403, "forbidden"]);
    const stranger = await previewAs(await tokenFor(outsider.userId), o.orgName, "limitCents=500");
    expect([stranger.status, stranger.json.error?.code]).toEqual([403, "not_org_member"]);
    expect((await previewAs(o.adminToken, "no-such-org-here", "limitCents=500")).status).toBe(404);
    for (const q of ["", "limitCents=-1", "limitCents=1.5", "limitCents=abc", "limitCents=5&x=1"])
      expect((await previewAs(o.adminToken, o.orgName, q)).status, q).toBe(400);
  });
});

describe("GET /api/organizations/{org}/providers/{provider}/preview", () => {
  const previewProvider = (token: string, org: string, provider: string) =>
    callRoute(providerPreview.GET, { token, params: { org, provider } });

  it("names models losing their last allowed provider and last month's share, from the rollups", async () => {
    const o = await orgWithLastMonth();
    // test/model is also served by test-byok and test-compute: nothing lost yet.
    const first = await previewProvider(o.adminToken, o.orgName, "test-routed");
    expect(first.status).toBe(200);
    expect(first.json.modelsLosingLastProvider).toEqual([]);
    const [rollup] = await db.$queryRaw<{ p: bigint; pc: bigint; t: bigint; tc: bigint }[]>`
      SELECT sum(requests) FILTER (WHERE provider_id = 'test-routed')::bigint AS p,
             sum(cost_nano) FILTER (WHERE provider_id = 'test-routed')::bigint AS pc,
             sum(requests)::bigint AS t, sum(cost_nano)::bigint AS tc
      FROM usage_daily WHERE account_id = ${o.accountId}::uuid AND day >= ${o.month} AND day < ${new Date(
        Date.UTC(o.month.getUTCFullYear(), o.month.getUTCMonth() + 1, 1),
      )}`;
    expect(first.json.lastMonth).toEqual({
      month: o.month.toISOString().slice(0, 7),
      providerRequests: Number(rollup!.p),
      providerCostNano: rollup!.pc.toString(),
      totalRequests: Number(rollup!.t),
      totalCostNano: rollup!.tc.toString(),
    });
    expect(first.json.lastMonth).toMatchObject({ providerRequests: 10, totalRequests: 11 });

    for (const providerId of ["test-byok", "test-compute"])
      await setProviderEnabled(db, {
        accountId: o.accountId,
        actorUserId: o.admin,
        providerId,
        enabled: false,
      });
    const after = await previewProvider(o.adminToken, o.orgName, "test-routed");
    expect(after.json.modelsLosingLastProvider).toEqual([
      { id: "test/model", name: "Test model", lastMonthRequests: 10 },
    ]);
  });

  it("is for admins only, and 404s an unknown provider", async () => {
    const o = await orgWithLastMonth();
    expect((await previewProvider(o.writerToken, o.orgName, "test-routed")).status).toBe(403);
    const outsider = await userAccount(db, "pro");
    const stranger = await previewProvider(await tokenFor(outsider.userId), o.orgName, "test-routed");
    expect([stranger.status, stranger.json.error?.code]).toEqual([403, "not_org_member"]);
    expect((await previewProvider(o.adminToken, o.orgName, "no-such-provider")).status).toBe(404);
  });
});
