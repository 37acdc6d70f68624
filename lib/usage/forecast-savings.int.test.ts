import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as forecastRoute from "@/app/api/billing/forecast/route";
import * as savingsRoute from "@/app/api/billing/savings/route";
import { createApiToken } from "@/lib/auth/tokens";
import { setBillingNow } from "@/lib/kernel/clock";
import { recordUsage } from "@/lib/ledger/record-usage";
import { orgAccount, ensureTestCatalog, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { callRoute } from "@/lib/testing/call-route";
import { testDb, uniqueName } from "@/lib/testing/db";
import { addMember, createOrg } from "@/lib/accounts/orgs";
import { usageBreakdown } from "./breakdown";
import { forecastMonth } from "./forecast";
import { monthForecast } from "./month-forecast";
import { monthGlance } from "./month-glance";
import { customKeySavings, savingsMonths } from "./savings";

// March 2027, which no other test file bills, with the billing clock on the 20th.
const db = testDb();
const NOW = new Date("2027-03-20T08:00:00Z");
const at = (iso: string) => new Date(`${iso}Z`);
beforeAll(async () => {
  await ensureTestCatalog(db);
  await setBillingNow(db, NOW, { production: false });
}, 60_000);
afterAll(async () => {
  await setBillingNow(db, new Date(), { production: false });
  await db.$disconnect();
});

/** A month of mixed traffic: routed on several days (past the PRO credits), custom keys on two providers, and February. */
async function mixedTraffic(accountId: string, userId: string) {
  const routed: [string, number][] = [
    ["2027-03-01T10:00:00", 250],
    ["2027-03-03T23:59:59", 1_025],
    ["2027-03-10T00:00:00", 7],
    ["2027-03-19T12:00:00", 3_000],
    ["2027-03-20T07:00:00", 400], // today, before the clock's 08:00
  ];
  for (const [t, cents] of routed) await recordUsage(db, routedUsage(accountId, userId, at(t), cents));
  const custom: [string, number, string][] = [
    ["2027-02-28T23:59:59", 90, "test-byok"], // February: another month
    ["2027-03-01T00:00:00", 15, "test-byok"],
    ["2027-03-05T09:00:00", 33, "test-byok"],
    ["2027-03-06T09:00:00", 120, "test-routed"], // a billable provider, with the user's own key
  ];
  for (const [t, cents, providerId] of custom)
    await recordUsage(db, routedUsage(accountId, userId, at(t), cents, { mode: "custom_key", providerId }));
}

const DOLLAR = 1_000_000_000n;
const cents = (c: number) => (BigInt(c) * DOLLAR) / 100n;

describe("forecast and savings read the same ledger as the breakdown", () => {
  it("the forecast's spend equals the counters and the breakdown's routed billing; its rate is the complete days' mean", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await mixedTraffic(accountId, userId);
    const glance = await monthGlance(db, { accountId, now: NOW });
    const f = await monthForecast(db, { accountId, now: NOW, glance });
    const monthToDate = await usageBreakdown(db, {
      accountId,
      from: at("2027-03-01T00:00:00"),
      to: at("2027-03-21T00:00:00"),
      groupBy: "model",
    });
    const spent = BigInt(f.spentSoFarNano);
    expect(spent).toBe(cents(250 + 1_025 + 7 + 3_000 + 400));
    expect(spent).toBe(BigInt(glance.creditsUsedNano) + BigInt(glance.paygNano));
    expect(spent).toBe(BigInt(monthToDate.total.routed.billedNano));
    expect(BigInt(f.todaySoFarNano)).toBe(cents(400));
    // 19 full days before the 20th: (250 + 1,025 + 7 + 3,000) cents / 19, rounded half up.
    expect(f.completeDays).toBe(19);
    expect(BigInt(f.ratePerDayNano)).toBe((2n * cents(4_282) + 19n) / 38n);
    // Today at least at the rate, then 11 more days of March.
    expect(BigInt(f.projectedSpendNano)).toBe(
      cents(4_282) + BigInt(f.todayProjectedNano) + 11n * BigInt(f.ratePerDayNano),
    );
    expect(f.credits).toEqual({ state: "reached" });
    expect(f.limit).toBeNull();
    expect(f.estimator).toBe("mean_of_complete_days");
    // Pay-as-you-go so far: $46.82 - $2.00 of credits; projected: all future spend (credits used up).
    expect(BigInt(f.projectedPaygNano)).toBe(BigInt(glance.paygNano) + BigInt(f.projectedSpendNano) - spent);
  });

  it("savings per provider and month equal the custom-key column of the breakdown, billed nothing", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await mixedTraffic(accountId, userId);
    const months = savingsMonths(NOW, {});
    expect(months.map((m) => m.toISOString().slice(0, 7))).toEqual(["2027-03", "2027-02", "2027-01"]);
    const savings = await customKeySavings(db, { accountId, months });
    expect(savings.from).toBe("2027-01");
    expect(savings.to).toBe("2027-03");
    for (const m of savings.months) {
      const from = new Date(`${m.month}-01T00:00:00Z`);
      const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
      const byProvider = await usageBreakdown(db, { accountId, from, to, groupBy: "provider" });
      expect(BigInt(m.total.listPriceNano), m.month).toBe(byProvider.total.customKey.costNano);
      expect(m.total.requests).toBe(byProvider.total.customKey.requests);
      for (const line of m.lines) {
        const row = byProvider.rows.find((r) => r.key === line.providerId)!;
        expect(BigInt(line.listPriceNano)).toBe(row.customKey.costNano);
        expect(line.billedNano).toBe("0");
      }
    }
    const [march, february, january] = savings.months;
    expect(march!.lines.map((l) => [l.providerId, l.requests, l.listPriceNano, l.billingIntegrated])).toEqual(
      [
        ["test-routed", 1, cents(120).toString(), true],
        ["test-byok", 2, cents(48).toString(), false],
      ],
    );
    expect(february!.lines.map((l) => [l.providerId, l.listPriceNano])).toEqual([
      ["test-byok", cents(90).toString()],
    ]);
    expect(january!.lines).toEqual([]);
    expect(savings.total).toEqual({
      requests: 4,
      listPriceNano: cents(120 + 48 + 90).toString(),
      billedNano: "0",
    });
    // The breakdown's routed side is unaffected: custom-key requests bill nothing.
    const glance = await monthGlance(db, { accountId, now: NOW });
    expect(BigInt(glance.creditsUsedNano) + BigInt(glance.paygNano)).toBe(cents(4_682));
  });

  it("an org over its spending limit: reached, with no pay-as-you-go projected past what was spent", async () => {
    const { accountId, memberIds } = await orgAccount(db, "team", 1, 1);
    await recordUsage(db, routedUsage(accountId, memberIds[0]!, at("2027-03-02T10:00:00"), 1_200)); // $2 credits + $10
    await db.billingAccount.update({ where: { id: accountId }, data: { spendingLimitCents: 500 } });
    const f = await monthForecast(db, { accountId, now: NOW });
    expect(f.limit).toEqual({ state: "reached" });
    expect(f.projectedPaygNano).toBe(cents(1_000).toString());
    expect(f.thresholdChargesAhead).toBe(0);
    // The pure function on the same inputs gives the same answer: the page adds nothing of its own.
    const glance = await monthGlance(db, { accountId, now: NOW });
    const pure = forecastMonth({
      now: NOW,
      dailySpendNano: new Map([["2027-03-02", cents(1_200)]]),
      creditsIncludedNano: BigInt(glance.creditsIncludedNano),
      creditsUsedNano: BigInt(glance.creditsUsedNano),
      paygNano: BigInt(glance.paygNano),
      thresholdChargedNano: 0n,
      thresholdCents: glance.thresholdCents,
      payAsYouGo: true,
      spendingLimitCents: 500,
    });
    expect(f.projectedSpendNano).toBe(pure.projectedSpendNano.toString());
    expect(f.band).toEqual({
      lowNano: pure.band!.lowNano.toString(),
      highNano: pure.band!.highNano.toString(),
    });
  });
});

describe("GET /api/billing/forecast and /api/billing/savings", () => {
  it("answer for the caller or an org they belong to, and refuse others as the usage route does", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await mixedTraffic(accountId, userId);
    const token = (await createApiToken(db, { userId, name: "t" })).token;
    const org = await orgAccount(db, "team", 2, 0);
    const outsider = await orgAccount(db, "team", 1, 1);
    const free = await createOrg(db, { name: uniqueName("free"), plan: "free", seats: 1 });
    const me = await db.user.findUniqueOrThrow({ where: { id: userId } });
    await addMember(db, { orgName: org.orgName, email: me.email, role: "read" });
    await addMember(db, { orgName: free.name, email: me.email, role: "admin" });
    await recordUsage(
      db,
      routedUsage(org.accountId, userId, at("2027-03-04T10:00:00"), 55, {
        mode: "custom_key",
        providerId: "test-byok",
      }),
    );
    const get = (handler: typeof forecastRoute.GET, path: string) =>
      callRoute(handler, { token, url: `http://localhost${path}` });

    const mine = await get(forecastRoute.GET, "/api/billing/forecast");
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual(await monthForecast(db, { accountId, now: NOW }));
    const mySavings = await get(savingsRoute.GET, "/api/billing/savings");
    expect(mySavings.status).toBe(200);
    expect(mySavings.json).toEqual(await customKeySavings(db, { accountId, months: savingsMonths(NOW, {}) }));

    const orgSavings = await get(
      savingsRoute.GET,
      `/api/billing/savings?billTo=${org.orgName}&from=2027-03&to=2027-03`,
    );
    expect(orgSavings.status).toBe(200);
    expect(orgSavings.json).toMatchObject({
      from: "2027-03",
      to: "2027-03",
      total: { requests: 1, listPriceNano: cents(55).toString(), billedNano: "0" },
    });
    const orgForecast = await get(forecastRoute.GET, `/api/billing/forecast?billTo=${org.orgName}`);
    expect(orgForecast.status).toBe(200);
    expect(orgForecast.json).toMatchObject({ spentSoFarNano: "0", projectedSpendNano: "0", limit: null });

    for (const handler of [forecastRoute.GET, savingsRoute.GET]) {
      const path = handler === forecastRoute.GET ? "/api/billing/forecast" : "/api/billing/savings";
      expect((await get(handler, `${path}?billTo=${outsider.orgName}`)).json.error?.code).toBe(
        "not_org_member",
      );
      expect((await get(handler, `${path}?billTo=${free.name}`)).json.error?.code).toBe("org_plan_required");
      expect((await get(handler, `${path}?billTo=no-such-org-${Date.now()}`)).status).toBe(404);
      expect((await get(handler, `${path}?nope=1`)).status).toBe(400);
      expect(
        (await callRoute(handler, { token: "hf_not-a-real-token", url: `http://localhost${path}` })).status,
      ).toBe(401);
    }
    for (const q of ["from=2027-13", "from=2027-03&to=2027-02", "from=2026-01&to=2027-03", "from=2028-01"]) {
      const res = await get(savingsRoute.GET, `/api/billing/savings?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error?.code, q).toBe("invalid_request");
    }
  });
});
