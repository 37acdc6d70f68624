import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { poolOf, type Db } from "@/lib/db/prisma";
import { loadCatalog } from "@/lib/catalog/load";
import { createUser } from "@/lib/accounts/users";
import { addMember, createOrg } from "@/lib/accounts/orgs";
import { createApiToken } from "@/lib/auth/tokens";
import type { OrgRoleName } from "@/lib/accounts/roles";
import { thresholdChargesDue } from "@/lib/ledger/threshold";
import { NANO_PER_CENT } from "@/lib/money/units";
import { databaseBooks } from "@/lib/payments/local-books";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard } from "@/lib/ledger/payment-methods";
import { generateDemoUsage, type UsageProfile } from "./demo-usage";
import { ensureUsagePartitions } from "@/lib/db/usage-partitions";

const DEFAULT_THRESHOLD_CENTS = 10_000; // billing_accounts.threshold_cents default

const DEMO_USERS = [
  { key: "free", email: "free@example.com", name: "Fran Free", plan: "free" },
  { key: "pro", email: "pro@example.com", name: "Pat Pro", plan: "pro" },
  { key: "writer", email: "writer@example.com", name: "Wes Writer", plan: "free" },
  { key: "contributor", email: "contributor@example.com", name: "Cory Contributor", plan: "free" },
  { key: "reader", email: "reader@example.com", name: "Ray Reader", plan: "free" },
  { key: "enterprise", email: "enterprise-admin@example.com", name: "Eve Enterprise", plan: "pro" },
] as const;
type DemoUserKey = (typeof DEMO_USERS)[number]["key"];

const DEMO_ORGS: {
  name: string;
  displayName: string;
  plan: "team" | "enterprise";
  seats: number;
  members: [DemoUserKey, OrgRoleName][];
}[] = [
  {
    name: "acme-ai",
    displayName: "Acme AI",
    plan: "team",
    seats: 5,
    members: [
      ["pro", "admin"],
      ["writer", "write"],
      ["contributor", "contributor"],
      ["reader", "read"],
    ],
  },
  {
    name: "globex",
    displayName: "Globex Research",
    plan: "enterprise",
    seats: 10,
    members: [
      ["enterprise", "admin"],
      ["pro", "write"],
      ["reader", "read"],
    ],
  },
];

export interface DemoCredentials {
  users: {
    email: string;
    password: string;
    plan: string;
    token: string;
    orgs: { org: string; role: OrgRoleName }[];
  }[];
  orgs: { name: string; plan: string; seats: number }[];
}

/** Seeds the demo on an empty database, never in production; null when it did not seed. */
export async function seedDemoOnStart(
  db: Db,
  opts: { dataDir: string; production: boolean; now?: Date },
): Promise<DemoCredentials | null> {
  if (opts.production) return null;
  if ((await db.user.count()) > 0) return null;
  return seedDemo(db, opts);
}

/**
 * Users with random passwords, orgs with every role, one access token per user, and a
 * month of usage with rollups and month counters. Sign-ins go to DATA_DIR/demo-credentials.json.
 */
export async function seedDemo(db: Db, opts: { dataDir: string; now?: Date }): Promise<DemoCredentials> {
  const now = opts.now ?? new Date();
  const catalog = loadCatalog(); // already in the database (prepareDatabase); used to generate usage

  const credentials: DemoCredentials = { users: [], orgs: [] };
  const users = new Map<DemoUserKey, { id: string; accountId: string }>();
  for (const u of DEMO_USERS) {
    const password = randomBytes(12).toString("base64url");
    const user = await createUser(db, { email: u.email, name: u.name, password, plan: u.plan });
    const { token } = await createApiToken(db, { userId: user.id, name: "demo" });
    users.set(u.key, { id: user.id, accountId: user.billingAccount!.id });
    credentials.users.push({ email: u.email, password, plan: u.plan, token, orgs: [] });
  }

  const personal = (
    key: DemoUserKey,
    plan: "free" | "pro",
    requestsPerDay: number,
    seed: number,
  ): UsageProfile => ({
    accountId: users.get(key)!.accountId,
    memberIds: [users.get(key)!.id],
    plan,
    seats: 1,
    requestsPerDay,
    seed,
  });
  const profiles = [personal("free", "free", 2, 1), personal("pro", "pro", 60, 2)];
  for (const o of DEMO_ORGS) {
    const org = await createOrg(db, {
      name: o.name,
      displayName: o.displayName,
      plan: o.plan,
      seats: o.seats,
    });
    for (const [key, role] of o.members) {
      const email = DEMO_USERS.find((u) => u.key === key)!.email;
      await addMember(db, { orgName: o.name, email, role });
      credentials.users.find((u) => u.email === email)!.orgs.push({ org: o.name, role });
    }
    credentials.orgs.push({ name: o.name, plan: o.plan, seats: o.seats });
    profiles.push({
      accountId: org.billingAccount!.id,
      memberIds: o.members.map(([key]) => users.get(key)!.id),
      plan: o.plan,
      seats: o.seats,
      requestsPerDay: o.plan === "team" ? 200 : 400,
      seed: profiles.length + 1,
    });
  }

  for (const profile of profiles) {
    const { events, periods } = generateDemoUsage(catalog, profile, now);
    await ensureUsagePartitions(
      poolOf(db),
      events.map((e) => e.occurredAt),
    );
    await db.$transaction(
      async (tx) => {
        for (let i = 0; i < events.length; i += 2_000) {
          const slice = events.slice(i, i + 2_000);
          await tx.usageEvent.createMany({ data: slice });
          await tx.usageEventId.createMany({
            data: slice.map(({ id, accountId, occurredAt }) => ({ id, accountId, occurredAt })),
          });
        }
        for (const p of periods) {
          // Threshold charges the month's pay-as-you-go made due (demo accounts have no card:
          // the billing job records them as unpaid, and their amount falls to the invoice).
          const due = thresholdChargesDue({
            paygNano: p.paygNano,
            chargedNano: 0n,
            thresholdCents: DEFAULT_THRESHOLD_CENTS,
          });
          await tx.accountPeriod.create({
            data: { ...p, thresholdChargedNano: BigInt(due * DEFAULT_THRESHOLD_CENTS) * NANO_PER_CENT },
          });
          await tx.thresholdCharge.createMany({
            data: Array.from({ length: due }, (_, i) => ({
              accountId: p.accountId,
              period: p.period,
              seq: i + 1,
              amountCents: DEFAULT_THRESHOLD_CENTS,
            })),
          });
        }
      },
      { timeout: 120_000 },
    );
  }
  await rebuildDailyRollups(db);

  // Cards (the local processor's always-succeeding test card) for the paying demo accounts.
  const processor = createLocalProcessor(databaseBooks(db));
  const card = {
    kind: "number" as const,
    number: "4242424242424242",
    expMonth: 12,
    expYear: 2099,
    cvc: "123",
  };
  for (const profile of profiles.filter((p) => p.plan !== "free")) {
    await addCard(db, processor, { accountId: profile.accountId, card });
  }

  fs.mkdirSync(opts.dataDir, { recursive: true });
  fs.writeFileSync(
    path.join(opts.dataDir, "demo-credentials.json"),
    JSON.stringify(credentials, null, 2) + "\n",
    {
      mode: 0o600,
    },
  );
  return credentials;
}

/** usage_daily recomputed from usage_events: one row per account, UTC day, provider, model, mode, member. */
async function rebuildDailyRollups(db: Db): Promise<void> {
  await db.$executeRaw`DELETE FROM usage_daily`;
  await db.$executeRaw`
    INSERT INTO usage_daily (account_id, day, provider_id, model_id, mode, user_id, requests,
                             input_tokens, output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
    SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date, provider_id, model_id, mode, user_id, count(*),
           sum(input_tokens), sum(output_tokens), sum(compute_ms), sum(cost_nano), sum(credits_nano), sum(payg_nano)
    FROM usage_events
    GROUP BY 1, 2, 3, 4, 5, 6`;
}
