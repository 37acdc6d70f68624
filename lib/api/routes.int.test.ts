import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as spendingLimit from "@/app/api/organizations/[org]/spending-limit/route";
import * as providers from "@/app/api/organizations/[org]/providers/route";
import * as provider from "@/app/api/organizations/[org]/providers/[provider]/route";
import * as usage from "@/app/api/billing/usage/route";
import * as keys from "@/app/api/settings/provider-keys/route";
import * as key from "@/app/api/settings/provider-keys/[provider]/route";
import { createApiToken } from "@/lib/auth/tokens";
import { providerKeyPlaintext } from "@/lib/keys/provider-keys";
import { providerKeyRing } from "@/lib/keys/key-ring";
import { addMember } from "@/lib/accounts/orgs";
import { ORG_ROLES } from "@/lib/accounts/roles";
import { callRoute } from "@/lib/testing/call-route";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { recordUsage } from "@/lib/ledger/record-usage";
import { closeMonth } from "@/lib/ledger/close-month";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { createUser } from "@/lib/accounts/users";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

async function tokenFor(userId: string) {
  return (await createApiToken(db, { userId, name: "test" })).token;
}

describe("tenant isolation: every org route × role", () => {
  it("lets exactly the admins of that org read and change its controls", async () => {
    const org = await orgAccount(db, "team", 3, 0);
    const other = await orgAccount(db, "enterprise", 1, 1); // its admin is no member of `org`
    const tokens: Record<string, string> = { otherOrgAdmin: await tokenFor(other.memberIds[0]!) };
    for (const role of ORG_ROLES) {
      const user = await createUser(db, {
        email: uniqueEmail(role),
        password: "correct horse battery",
        plan: "free",
      });
      await addMember(db, { orgName: org.orgName, email: user.email, role });
      tokens[role] = await tokenFor(user.id);
    }
    const outsider = await userAccount(db, "pro");
    tokens.nonMember = await tokenFor(outsider.userId);

    const routes: {
      name: string;
      handler: typeof spendingLimit.GET;
      method: string;
      params: Record<string, string>;
      body?: unknown;
    }[] = [
      { name: "GET spending-limit", handler: spendingLimit.GET, method: "GET", params: { org: org.orgName } },
      {
        name: "PUT spending-limit",
        handler: spendingLimit.PUT,
        method: "PUT",
        params: { org: org.orgName },
        body: { limitCents: 5_000 },
      },
      { name: "GET providers", handler: providers.GET, method: "GET", params: { org: org.orgName } },
      {
        name: "PUT provider",
        handler: provider.PUT,
        method: "PUT",
        params: { org: org.orgName, provider: "groq" },
        body: { enabled: false },
      },
    ];
    for (const r of routes) {
      for (const [who, token] of Object.entries(tokens)) {
        const res = await callRoute(r.handler, { method: r.method, token, params: r.params, body: r.body });
        const expected = who === "admin" ? 200 : 403;
        expect(res.status, `${r.name} as ${who}`).toBe(expected);
        if (who === "nonMember" || who === "otherOrgAdmin")
          expect(res.json.error?.code).toBe("not_org_member");
        else if (who !== "admin") expect(res.json.error?.code).toBe("forbidden");
      }
      const unknown = await callRoute(r.handler, {
        method: r.method,
        token: tokens.admin,
        params: { ...r.params, org: "no-such-org-at-all" },
        body: r.body,
      });
      expect(unknown.status).toBe(404);
    }
    // Only the admin's changes happened, once each.
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: org.accountId } })).toMatchObject({
      spendingLimitCents: 5_000,
    });
    expect(await db.auditLog.count({ where: { accountId: org.accountId } })).toBe(2);

    // Usage of the org: any member may read it, nobody else.
    for (const [who, token] of Object.entries(tokens)) {
      const res = await callRoute(usage.GET, {
        token,
        url: `http://localhost/api/billing/usage?billTo=${org.orgName}`,
      });
      expect(res.status, `usage as ${who}`).toBe(who === "nonMember" || who === "otherOrgAdmin" ? 403 : 200);
    }
  }, 60_000);

  it("refuses bad input with 400 and changes nothing", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const token = await tokenFor(org.memberIds[0]!);
    for (const body of [
      { limitCents: -1 },
      { limitCents: 1.5 },
      {},
      { limitCents: "100" },
      { limitCents: 5, extra: 1 },
    ]) {
      const res = await callRoute(spendingLimit.PUT, {
        method: "PUT",
        token,
        params: { org: org.orgName },
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code).toBe("invalid_request");
    }
    expect(
      (
        await callRoute(spendingLimit.PUT, {
          method: "PUT",
          token,
          params: { org: org.orgName },
          rawBody: "{not json",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await callRoute(provider.PUT, {
          method: "PUT",
          token,
          params: { org: org.orgName, provider: "groq" },
          body: { enabled: "yes" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await callRoute(provider.PUT, {
          method: "PUT",
          token,
          params: { org: org.orgName, provider: "nope" },
          body: { enabled: false },
        })
      ).status,
    ).toBe(404);
    expect(await db.billingAccount.findUniqueOrThrow({ where: { id: org.accountId } })).toMatchObject({
      spendingLimitCents: null,
    });
    expect(await db.disabledProvider.count({ where: { accountId: org.accountId } })).toBe(0);
    expect(await db.auditLog.count({ where: { accountId: org.accountId } })).toBe(0);
  });
});

describe("malformed input to every JSON route", () => {
  it("property: generated payloads get a 4xx with the error shape, never a 5xx, and change nothing", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const token = await tokenFor(org.memberIds[0]!);
    const before = async () => ({
      account: await db.billingAccount.findUniqueOrThrow({ where: { id: org.accountId } }),
      disabled: await db.disabledProvider.count({ where: { accountId: org.accountId } }),
      keys: await db.providerKey.count({ where: { userId: org.memberIds[0]! } }),
      audit: await db.auditLog.count({ where: { accountId: org.accountId } }),
    });
    const start = await before();
    const bad = fc
      .oneof(
        fc.anything(),
        fc.record({
          limitCents: fc.oneof(
            fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }), // NaN would become null: a valid "no limit"
            fc.string(),
            fc.integer({ max: -1 }),
            fc.constant(3_000_000_000),
          ),
        }),
        fc.record({ enabled: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
        fc.record({
          key: fc.oneof(fc.string({ maxLength: 7 }), fc.constant("has spaces in it"), fc.integer()),
        }),
      )
      .filter(
        (b) =>
          !(
            typeof b === "object" &&
            b !== null &&
            "enabled" in b &&
            typeof (b as { enabled: unknown }).enabled === "boolean"
          ),
      );
    const routes = [
      (body: unknown) =>
        callRoute(spendingLimit.PUT, { method: "PUT", token, params: { org: org.orgName }, body }),
      (body: unknown) =>
        callRoute(provider.PUT, {
          method: "PUT",
          token,
          params: { org: org.orgName, provider: "groq" },
          body,
        }),
      (body: unknown) => callRoute(key.PUT, { method: "PUT", token, params: { provider: "together" }, body }),
    ];
    await fc.assert(
      fc.asyncProperty(bad, fc.integer({ min: 0, max: routes.length - 1 }), async (body, r) => {
        const res = await routes[r]!(body);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof res.json.error?.code).toBe("string");
      }),
      { numRuns: 1_000 },
    );
    expect(await before()).toEqual(start);
  }, 120_000);
});

describe("custom provider keys", () => {
  it("are stored encrypted, shown masked, replaced, removed, audited, and never shown in full again", async () => {
    const alice = await userAccount(db, "pro");
    const bob = await userAccount(db, "pro");
    const [ta, tb] = [await tokenFor(alice.userId), await tokenFor(bob.userId)];
    const secret = "sk-together-VERY-secret-0001";

    const put = await callRoute(key.PUT, {
      method: "PUT",
      token: ta,
      params: { provider: "together" },
      body: { key: secret },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ key: { providerId: "together", last4: "0001" } });
    const listed = await callRoute(keys.GET, { token: ta });
    expect(listed.json).toMatchObject({ keys: [{ providerId: "together", last4: "0001" }] });
    for (const body of [put.json, listed.json]) expect(JSON.stringify(body)).not.toContain("VERY-secret");

    // Only the router reads it back in clear.

    expect(
      await providerKeyPlaintext(db, providerKeyRing(), { userId: alice.userId, providerId: "together" }),
    ).toBe(secret);

    const row = await db.providerKey.findFirstOrThrow({
      where: { userId: alice.userId },
      omit: { ciphertext: false },
    });
    expect(Buffer.from(row.ciphertext).toString("utf8")).not.toContain("VERY-secret");

    // Bob sees and touches only his own keys.
    expect((await callRoute(keys.GET, { token: tb })).json).toEqual({ keys: [] });
    expect(
      (await callRoute(key.DELETE, { method: "DELETE", token: tb, params: { provider: "together" } })).status,
    ).toBe(404);

    await callRoute(key.PUT, {
      method: "PUT",
      token: ta,
      params: { provider: "together" },
      body: { key: "sk-together-replaced-0002" },
    });
    expect((await callRoute(keys.GET, { token: ta })).json).toMatchObject({ keys: [{ last4: "0002" }] });
    expect(
      (await callRoute(key.DELETE, { method: "DELETE", token: ta, params: { provider: "together" } })).status,
    ).toBe(204);
    expect((await callRoute(keys.GET, { token: ta })).json).toEqual({ keys: [] });

    const log = await db.auditLog.findMany({
      where: { actorUserId: alice.userId },
      orderBy: { createdAt: "asc" },
    });
    expect(log.map((l) => [l.action, l.before, l.after])).toEqual([
      ["provider_key.create", null, { last4: "0001" }],
      ["provider_key.replace", { last4: "0001" }, { last4: "0002" }],
      ["provider_key.delete", { last4: "0002" }, null],
    ]);
    expect(JSON.stringify(log)).not.toContain("VERY-secret");
  });

  it("refuses keys that are too short, have spaces, or name an unknown provider", async () => {
    const { userId } = await userAccount(db, "free");
    const token = await tokenFor(userId);
    expect(
      (
        await callRoute(key.PUT, {
          method: "PUT",
          token,
          params: { provider: "together" },
          body: { key: "short" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await callRoute(key.PUT, {
          method: "PUT",
          token,
          params: { provider: "together" },
          body: { key: "has a space in it" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await callRoute(key.PUT, {
          method: "PUT",
          token,
          params: { provider: "nobody" },
          body: { key: "long-enough-key" },
        })
      ).status,
    ).toBe(404);
    expect(await db.providerKey.count({ where: { userId } })).toBe(0);
  });
});

describe("GET /api/billing/usage", () => {
  it("agrees to the nano-dollar with the raw events and with the month's invoice", async () => {
    const { accountId, userId } = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, { userId, name: "test" });
    const days = [3, 3, 9, 17, 28];
    for (const [i, d] of days.entries()) {
      await recordUsage(
        db,
        routedUsage(
          accountId,
          userId,
          new Date(`2026-09-${String(d).padStart(2, "0")}T10:00:00Z`),
          137 + i * 1_001,
          i % 2 === 0 ? { tokenId: record.id } : {}, // some through the token, some without one
        ),
      );
    }
    await recordUsage(
      db,
      routedUsage(accountId, userId, new Date("2026-09-05T10:00:00Z"), 999, {
        mode: "custom_key",
        providerId: "test-byok",
      }),
    );
    await closeMonth(db, createLocalProcessor(), {
      period: new Date("2026-09-01T00:00:00Z"),
      now: new Date("2026-10-01T00:00:01Z"),
    });

    const [raw] = await db.$queryRaw<{ routed: bigint; custom: bigint; billed: bigint; n: bigint }[]>`
      SELECT sum(cost_nano) FILTER (WHERE mode = 'routed')::bigint AS routed, sum(cost_nano) FILTER (WHERE mode = 'custom_key')::bigint AS custom,
             sum(credits_nano + payg_nano)::bigint AS billed, count(*) AS n
      FROM usage_events WHERE account_id = ${accountId}::uuid`;
    const invoice = await db.invoice.findFirstOrThrow({
      where: { accountId, kind: "usage" },
      include: { lines: true },
    });
    const invoicedNano = invoice.lines
      .filter((l) => l.kind === "usage")
      .reduce((s, l) => s + l.amountNano, 0n);

    for (const groupBy of ["model", "provider", "member", "day", "token"]) {
      const res = await callRoute(usage.GET, {
        token,
        url: `http://localhost/api/billing/usage?from=2026-09-01&to=2026-10-01&groupBy=${groupBy}`,
      });
      expect(res.status).toBe(200);
      const body = res.json as unknown as {
        rows: {
          routed: { costNano: string; billedNano: string; requests: number };
          customKey: { costNano: string };
        }[];
        total: {
          routed: { costNano: string; billedNano: string; requests: number };
          customKey: { costNano: string; requests: number };
        };
      };
      expect(BigInt(body.total.routed.costNano)).toBe(raw!.routed);
      expect(BigInt(body.total.customKey.costNano)).toBe(raw!.custom);
      expect(BigInt(body.total.routed.billedNano)).toBe(raw!.billed);
      expect(BigInt(body.total.routed.costNano)).toBe(invoicedNano);
      expect(body.total.routed.requests + body.total.customKey.requests).toBe(Number(raw!.n));
      // The rows add up to the total.
      expect(body.rows.reduce((s, r) => s + BigInt(r.routed.costNano), 0n)).toBe(raw!.routed);
    }
    const byDay = await callRoute(usage.GET, {
      token,
      url: "http://localhost/api/billing/usage?from=2026-09-01&to=2026-10-01&groupBy=day",
    });
    expect((byDay.json.rows as { key: string }[]).map((r) => r.key)).toEqual([
      "2026-09-03",
      "2026-09-05",
      "2026-09-09",
      "2026-09-17",
      "2026-09-28",
    ]);
  });

  it("validates its query", async () => {
    const { userId } = await userAccount(db, "free");
    const token = await tokenFor(userId);
    for (const q of [
      "groupBy=nope",
      "from=2026-10-01&to=2026-09-01",
      "from=yesterday",
      "from=2020-01-01&to=2026-01-01",
      "unknown=1",
    ]) {
      const res = await callRoute(usage.GET, { token, url: `http://localhost/api/billing/usage?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.json.error?.code).toBe("invalid_request");
    }
  });
});

describe("PUT /api/organizations/{org}/providers/{provider} under concurrency", () => {
  it("20 identical switches (a double click, two tabs) all answer 200, change once and audit once", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const token = await tokenFor(org.memberIds[0]!);
    const put = (enabled: boolean) =>
      callRoute(provider.PUT, {
        method: "PUT",
        token,
        params: { org: org.orgName, provider: "groq" },
        body: { enabled },
      });
    for (const enabled of [false, true]) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => put(enabled)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers.every((a) => a.json.enabled === enabled)).toBe(true);
    }
    const audited = await db.auditLog.findMany({
      where: { accountId: org.accountId },
      select: { action: true },
    });
    expect(audited.map((a) => a.action).sort()).toEqual(["provider.disable", "provider.enable"]);
    expect(await db.disabledProvider.count({ where: { accountId: org.accountId } })).toBe(0);
  });
});
