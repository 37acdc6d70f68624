import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as preferences from "@/app/api/settings/provider-preferences/route";
import { createApiToken } from "@/lib/auth/tokens";
import { recordUsage } from "@/lib/ledger/record-usage";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { monthGlance } from "./month-glance";
import { usageView } from "./usage-view";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

describe("usageView by day", () => {
  it("splits each day's cost by model, summing to the day's total, with labels", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    await recordUsage(db, routedUsage(accountId, userId, new Date("2026-09-03T10:00:00Z"), 150));
    await recordUsage(db, routedUsage(accountId, userId, new Date("2026-09-03T11:00:00Z"), 25));
    await recordUsage(
      db,
      routedUsage(accountId, userId, new Date("2026-09-03T12:00:00Z"), 7, {
        mode: "custom_key",
        providerId: "test-byok",
      }),
    );
    await recordUsage(db, routedUsage(accountId, userId, new Date("2026-09-06T12:00:00Z"), 300));
    const view = await usageView(db, {
      accountId,
      from: new Date("2026-09-01"),
      to: new Date("2026-10-01"),
      groupBy: "day",
    });
    expect(view.rows.map((r) => r.key)).toEqual(["2026-09-03", "2026-09-06"]);
    for (const row of view.rows) {
      const parts = row.models!.reduce((s, m) => s + BigInt(m.costNano), 0n);
      expect(parts).toBe(BigInt(row.routed.costNano) + BigInt(row.customKey.costNano));
      expect(row.models!.every((m) => m.label === "Test model")).toBe(true);
    }
    // One model, both modes: one part per day. $1.82 on the 3rd ($1.50 + $0.25 routed + $0.07 custom key).
    expect(view.rows[0]!.models).toEqual([
      { key: "test/model", label: "Test model", costNano: "1820000000" },
    ]);
    // Other groupings carry no parts.
    const byModel = await usageView(db, {
      accountId,
      from: new Date("2026-09-01"),
      to: new Date("2026-10-01"),
      groupBy: "model",
    });
    expect(byModel.rows[0]!.models).toBeUndefined();
    expect(byModel.total).toEqual(view.total);
  });
});

describe("monthGlance", () => {
  it("reports the month's credits, pay-as-you-go, the next threshold charge and the reset", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const now = new Date("2026-09-20T08:00:00Z");
    const empty = await monthGlance(db, { accountId, now });
    expect(empty).toMatchObject({
      period: "2026-09-01",
      resetsAt: "2026-10-01T00:00:00.000Z",
      payAsYouGo: true,
      creditsIncludedNano: "2000000000", // PRO: $2.00
      creditsUsedNano: "0",
      paygNano: "0",
      nextChargeAtNano: "100000000000", // the default $100 threshold
      spendingLimitCents: null,
      roomLeftNano: null,
    });
    await recordUsage(db, routedUsage(accountId, userId, new Date("2026-09-10T10:00:00Z"), 12_345)); // $123.45
    const used = await monthGlance(db, { accountId, now });
    expect(used).toMatchObject({
      creditsUsedNano: "2000000000",
      paygNano: "121450000000",
      // One $100 charge was made: the next one when pay-as-you-go reaches $200.
      nextChargeAtNano: "200000000000",
    });
  });

  it("shows an org's room under its spending limit, never below zero", async () => {
    const { accountId, memberIds } = await orgAccount(db, "team", 1, 1);
    const now = new Date("2026-09-20T08:00:00Z");
    await db.billingAccount.update({ where: { id: accountId }, data: { spendingLimitCents: 5_000 } });
    await recordUsage(db, routedUsage(accountId, memberIds[0]!, new Date("2026-09-10T10:00:00Z"), 1_200)); // $12: $2 credits, $10 payg
    expect(await monthGlance(db, { accountId, now })).toMatchObject({
      spendingLimitCents: 5_000,
      paygNano: "10000000000", // $10
      roomLeftNano: "40000000000", // $50 - $10
    });
    await db.billingAccount.update({ where: { id: accountId }, data: { spendingLimitCents: 500 } });
    expect((await monthGlance(db, { accountId, now })).roomLeftNano).toBe("0");
  });

  it("has no next charge on Free", async () => {
    const { accountId } = await userAccount(db, "free");
    expect(await monthGlance(db, { accountId, now: new Date("2026-09-20T08:00:00Z") })).toMatchObject({
      payAsYouGo: false,
      creditsIncludedNano: "100000000",
      nextChargeAtNano: null,
    });
  });
});

describe("GET|PUT /api/settings/provider-preferences", () => {
  it("saves an order of catalog providers, refuses bad ones without changing anything, and audits", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const { token } = await createApiToken(db, { userId, name: "t" });
    const get = () => callRoute(preferences.GET, { token });
    const put = (providers: unknown) =>
      callRoute(preferences.PUT, { method: "PUT", token, body: { providers } });

    const initial = await get();
    expect(initial.status).toBe(200);
    expect(initial.json.providers).toEqual([]);
    expect((initial.json.catalog as { id: string }[]).map((p) => p.id)).toContain("together");

    const saved = await put(["groq", "together"]);
    expect(saved.status).toBe(200);
    expect(saved.json.providers).toEqual(["groq", "together"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).providerPreferences).toEqual([
      "groq",
      "together",
    ]);

    for (const [body, code] of [
      [["groq", "groq"], "invalid_request"],
      [["groq", "no-such-provider"], "unknown_provider"],
      ["groq", "invalid_request"],
      [[""], "invalid_request"],
    ] as const) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code).toBe(code);
    }
    expect((await get()).json.providers).toEqual(["groq", "together"]);

    expect((await put([])).json.providers).toEqual([]);
    const entries = await db.auditLog.findMany({
      where: { accountId, action: "provider_preferences.update" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => e.after)).toEqual([{ providers: ["groq", "together"] }, { providers: [] }]);
  });
});
