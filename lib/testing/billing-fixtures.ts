import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { createUser } from "@/lib/accounts/users";
import { addMember, createOrg } from "@/lib/accounts/orgs";
import type { UsageInput } from "@/lib/ledger/record-usage";
import { settleUsage } from "@/lib/ledger/settle";
import { uniqueEmail, uniqueName } from "./db";

/**
 * Test providers (beside the real catalog, which every test database has) with round prices, so amounts are easy to read: on "test-routed", one input
 * token costs exactly 1,000 nano-dollars ($1 per million); "test-byok" cannot be billed by the
 * platform; "test-compute" bills $0.00012 per second on "test-gpu".
 */
export async function ensureTestCatalog(db: Db) {
  const effectiveFrom = new Date("2020-01-01T00:00:00Z");
  const providers = [
    { id: "test-routed", billingIntegrated: true, pricingUnit: "token" as const },
    { id: "test-byok", billingIntegrated: false, pricingUnit: "token" as const },
    { id: "test-compute", billingIntegrated: true, pricingUnit: "compute" as const },
  ];
  await db.model.upsert({
    where: { id: "test/model" },
    create: { id: "test/model", displayName: "Test model" },
    update: {},
  });
  for (const p of providers) {
    await db.provider.upsert({
      where: { id: p.id },
      create: { ...p, displayName: p.id, baseUrl: "http://127.0.0.1:9/v1" },
      update: {},
    });
    await db.providerModel.upsert({
      where: { providerId_modelId: { providerId: p.id, modelId: "test/model" } },
      create: {
        providerId: p.id,
        modelId: "test/model",
        upstreamModel: "test",
        hardware: p.pricingUnit === "compute" ? "test-gpu" : null,
      },
      update: {},
    });
    if (p.pricingUnit === "token") {
      await db.price.createMany({
        data: [
          {
            providerId: p.id,
            modelId: "test/model",
            effectiveFrom,
            inputNanoPerMillion: 1_000_000_000n,
            outputNanoPerMillion: 0n,
          },
        ],
        skipDuplicates: true,
      });
    }
  }
  await db.hardwarePrice.createMany({
    data: [{ hardware: "test-gpu", effectiveFrom, nanoPerSecond: 120_000n }],
    skipDuplicates: true,
  });
}

export const DOLLAR_TOKENS = 1_000_000; // input tokens on test-routed that cost exactly $1

export async function userAccount(db: Db, plan: "free" | "pro") {
  const user = await createUser(db, { email: uniqueEmail(plan), password: "correct horse battery", plan });
  return { userId: user.id, accountId: user.billingAccount!.id, email: user.email };
}

/**
 * A PRO user past their $2 of credits (spent on `at`) with a $1 threshold: from there every $1
 * request is pay-as-you-go and makes one threshold charge due.
 */
export async function proAccountPastCredits(db: Db, at: Date) {
  const a = await userAccount(db, "pro");
  await db.billingAccount.update({ where: { id: a.accountId }, data: { thresholdCents: 100 } });
  await settleUsage(db, [routedUsage(a.accountId, a.userId, at, 200)]);
  return a;
}

export async function orgAccount(db: Db, plan: "team" | "enterprise", seats: number, members: number) {
  const org = await createOrg(db, { name: uniqueName(plan), plan, seats });
  const memberIds: string[] = [];
  for (let i = 0; i < members; i++) {
    const user = await createUser(db, {
      email: uniqueEmail("member"),
      password: "correct horse battery",
      plan: "free",
    });
    await addMember(db, { orgName: org.name, email: user.email, role: i === 0 ? "admin" : "write" });
    memberIds.push(user.id);
  }
  return { orgId: org.id, orgName: org.name, accountId: org.billingAccount!.id, memberIds };
}

/** A routed request on test-routed costing `dollars` (whole or hundredths), at `occurredAt`. */
export function routedUsage(
  accountId: string,
  userId: string,
  occurredAt: Date,
  cents: number,
  overrides: Partial<UsageInput> = {},
): UsageInput {
  return {
    id: `test-${randomUUID()}`,
    accountId,
    userId,
    providerId: "test-routed",
    modelId: "test/model",
    mode: "routed",
    inputTokens: cents * (DOLLAR_TOKENS / 100),
    outputTokens: 0,
    computeMs: 0,
    occurredAt,
    ...overrides,
  };
}
