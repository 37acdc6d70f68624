// The accounts the load test bills: PRO users, some of them members of a Team and an
// Enterprise org they bill to, and a capped Team org whose spending limit is nearly reached
// before the traffic starts, so its members' router calls meet 402s under concurrency.
import { addMember, createOrg } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { createApiToken, createServiceToken } from "@/lib/auth/tokens";
import { setBillingNow } from "@/lib/kernel/clock";
import { formatPeriod, nextPeriod, periodStart } from "@/lib/kernel/period";
import type { Db } from "@/lib/db/prisma";
import { ingestUsage } from "@/lib/usage/ingest";

export interface LoadOrg {
  name: string;
  accountId: string;
  /** The org whose spending limit refuses requests during the run. */
  capped: boolean;
}

export interface LoadUser {
  userId: string;
  accountId: string;
  token: string;
  /** The org this user belongs to and (for some requests) bills to. */
  org: LoadOrg | null;
}

export interface Population {
  users: LoadUser[];
  orgs: LoadOrg[];
  serviceToken: string;
  /** The billing clock's "now" when traffic starts: the 15th of the current month, noon UTC. */
  now: Date;
  period: Date;
  /** The month as a usage range, YYYY-MM-DD, `to` exclusive. */
  from: string;
  to: string;
  cappedLimitCents: number;
}

const CAPPED_LIMIT_CENTS = 100;
/** Pay-as-you-go room left under the capped org's limit: about a hundred router calls. */
const CAPPED_ROOM_NANO = 5_000_000n;
const PRESPEND_PROVIDER = "together";
const PRESPEND_MODEL = "meta-llama/Llama-3.3-70B-Instruct";

/** Users 0-14 in a Team org, 15-29 in an Enterprise org, 30-34 in the capped org, the rest alone. */
function orgOf(i: number, count: number): "team" | "enterprise" | "capped" | null {
  const slice = Math.max(1, Math.floor((count * 3) / 10));
  if (i < slice) return "team";
  if (i < 2 * slice) return "enterprise";
  if (i < 2 * slice + Math.max(1, Math.floor(count / 10))) return "capped";
  return null;
}

export async function createPopulation(db: Db, input: { users: number }): Promise<Population> {
  // Mid-month, so a run at any real time of day stays in one billing month.
  const real = new Date();
  const now = new Date(Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), 15, 12));
  await setBillingNow(db, now, { production: false });
  const period = periodStart(now);

  const orgs = {
    team: await newOrg(db, "load-team", "team", 15, false),
    enterprise: await newOrg(db, "load-enterprise", "enterprise", 15, false),
    capped: await newOrg(db, "load-capped", "team", 1, true),
  };
  const users: LoadUser[] = [];
  for (let i = 0; i < input.users; i++) {
    const user = await createUser(db, { email: `load-${i}@example.com`, plan: "pro" });
    const orgKey = orgOf(i, input.users);
    const org = orgKey ? orgs[orgKey] : null;
    if (org) {
      const first = !users.some((u) => u.org === org);
      await addMember(db, { orgName: org.name, email: user.email, role: first ? "admin" : "write" });
    }
    const { token } = await createApiToken(db, { userId: user.id, name: "load" });
    users.push({ userId: user.id, accountId: user.billingAccount!.id, token, org });
  }

  await db.billingAccount.update({
    where: { id: orgs.capped.accountId },
    data: { spendingLimitCents: CAPPED_LIMIT_CENTS },
  });
  const cappedMember = users.find((u) => u.org === orgs.capped);
  if (!cappedMember) throw new Error("LOAD_USERS is too small to give the capped org a member");
  await prespend(db, cappedMember, now);

  return {
    users,
    orgs: Object.values(orgs),
    serviceToken: (await createServiceToken(db, { name: "load" })).token,
    now,
    period,
    from: `${formatPeriod(period)}-01`,
    to: `${formatPeriod(nextPeriod(period))}-01`,
    cappedLimitCents: CAPPED_LIMIT_CENTS,
  };
}

async function newOrg(
  db: Db,
  name: string,
  plan: "team" | "enterprise",
  seats: number,
  capped: boolean,
): Promise<LoadOrg> {
  const org = await createOrg(db, { name, plan, seats });
  return { name, accountId: org.billingAccount!.id, capped };
}

/**
 * One recorded request that uses the capped org's credits ($2, one seat) and all but
 * CAPPED_ROOM_NANO of its limit, through ingestion's own function, so it is an ordinary
 * usage event that the ledger checks cover too.
 */
async function prespend(db: Db, member: LoadUser, now: Date) {
  const price = await db.price.findFirstOrThrow({
    where: { providerId: PRESPEND_PROVIDER, modelId: PRESPEND_MODEL },
    orderBy: { effectiveFrom: "desc" },
  });
  const account = await db.billingAccount.findUniqueOrThrow({ where: { id: member.org!.accountId } });
  const targetNano = 2_000_000_000n * BigInt(account.seats) + BigInt(CAPPED_LIMIT_CENTS) * 10_000_000n;
  const inputTokens = Number(((targetNano - CAPPED_ROOM_NANO) * 1_000_000n) / price.inputNanoPerMillion);
  await ingestUsage(db, [
    {
      id: "load-prespend",
      userId: member.userId,
      billTo: member.org!.name,
      provider: PRESPEND_PROVIDER,
      model: PRESPEND_MODEL,
      mode: "routed",
      inputTokens,
      outputTokens: 0,
      occurredAt: new Date(now.getTime() - 3_600_000).toISOString(),
    },
  ]);
}
