import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { prepareDatabase } from "@/lib/server/prepare-database";
import { freshDatabase } from "@/lib/testing/db";
import { verifyPassword } from "@/lib/accounts/password";
import { authenticateApiToken } from "@/lib/auth/tokens";
import { seedDemoOnStart, type DemoCredentials } from "./demo";

let db: Db;
let drop: () => Promise<void>;
let credentials: DemoCredentials;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
const now = new Date("2026-11-21T12:00:00Z");

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  await prepareDatabase(fresh.url);
  db = createPrismaClient(fresh.url);
  expect(await seedDemoOnStart(db, { dataDir, production: true, now })).toBeNull();
  credentials = (await seedDemoOnStart(db, { dataDir, production: false, now }))!;
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
  await drop();
});

describe("demo seed", () => {
  it("never seeds in production, and only seeds an empty database", async () => {
    expect(await seedDemoOnStart(db, { dataDir, production: false, now })).toBeNull();
  });

  it("writes sign-ins and tokens that work to demo-credentials.json", async () => {
    const file = JSON.parse(
      fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8"),
    ) as DemoCredentials;
    expect(file).toEqual(credentials);
    const plans = file.users.map((u) => u.plan);
    expect(plans).toContain("free");
    expect(plans).toContain("pro");
    for (const u of file.users) {
      const row = await db.user.findUniqueOrThrow({
        where: { email: u.email },
        omit: { passwordHash: false },
      });
      expect(await verifyPassword(row.passwordHash!, u.password)).toBe(true);
      expect(await authenticateApiToken(db, u.token)).toMatchObject({ userId: row.id });
    }
  });

  it("has a Team org with every role and an Enterprise org", async () => {
    const orgs = await db.organization.findMany({ include: { billingAccount: true, memberships: true } });
    const team = orgs.find((o) => o.billingAccount?.plan === "team")!;
    expect(new Set(team.memberships.map((m) => m.role))).toEqual(
      new Set(["admin", "write", "contributor", "read"]),
    );
    expect(orgs.some((o) => o.billingAccount?.plan === "enterprise")).toBe(true);
  });

  it("has 10+ providers, some not billing-integrated, with prices", async () => {
    expect(await db.provider.count()).toBeGreaterThanOrEqual(10);
    expect(await db.provider.count({ where: { billingIntegrated: false } })).toBeGreaterThan(0);
    expect(await db.price.count()).toBeGreaterThan(20);
  });

  it("has a month of usage whose rollups and month counters agree with the events to the nano-dollar", async () => {
    const [events] = await db.$queryRaw<
      { n: bigint; first: Date; cost: bigint; credits: bigint; payg: bigint }[]
    >`
      SELECT count(*) AS n, min(occurred_at) AS first, sum(cost_nano)::bigint AS cost,
             sum(credits_nano)::bigint AS credits, sum(payg_nano)::bigint AS payg FROM usage_events`;
    const [daily] = await db.$queryRaw<{ requests: bigint; cost: bigint; credits: bigint; payg: bigint }[]>`
      SELECT sum(requests)::bigint AS requests, sum(cost_nano)::bigint AS cost,
             sum(credits_nano)::bigint AS credits, sum(payg_nano)::bigint AS payg FROM usage_daily`;
    const [periods] = await db.$queryRaw<{ credits: bigint; payg: bigint }[]>`
      SELECT sum(credits_used_nano)::bigint AS credits, sum(payg_nano)::bigint AS payg FROM account_periods`;
    expect(events!.n).toBeGreaterThan(1000n);
    expect(now.getTime() - events!.first.getTime()).toBeGreaterThan(28 * 86_400_000);
    expect(daily).toEqual({
      requests: events!.n,
      cost: events!.cost,
      credits: events!.credits,
      payg: events!.payg,
    });
    expect(periods).toEqual({ credits: events!.credits, payg: events!.payg });
    expect(events!.payg).toBeGreaterThan(0n); // some accounts go past their credits
  });

  it("never lets the Free user past $0.10 of credits in a month, nor pay as they go", async () => {
    const free = credentials.users.find((u) => u.plan === "free" && u.orgs.length === 0)!;
    const account = await db.billingAccount.findFirstOrThrow({ where: { user: { email: free.email } } });
    const periods = await db.accountPeriod.findMany({ where: { accountId: account.id } });
    expect(periods.length).toBeGreaterThan(0);
    for (const p of periods) {
      expect(p.creditsUsedNano).toBeLessThanOrEqual(100_000_000n);
      expect(p.paygNano).toBe(0n);
    }
  });
});
