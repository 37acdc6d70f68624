import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { addMember, createOrg } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { createApiToken } from "@/lib/auth/tokens";
import { settleUsage } from "@/lib/ledger/settle";
import { nanoToUsd } from "@/lib/money/format";
import { NANO_PER_CENT } from "@/lib/money/units";
import {
  expectMoneyAgrees,
  ownDatabase,
  runJobsNow,
  sidePort,
  startSlowUpstream,
  waitFor,
  withDb,
  type OwnDatabase,
} from "./fault-harness";
import { api, chat, startInstances, type Answer, type Instance } from "./instances";

// Three app instances (real `npm start` processes) over one PostgreSQL, as docs/scaling.md runs
// them: a setting changed through one applies to the very next request on the others (each of
// which had the caller's settings cached from an earlier request), 300 concurrent requests over
// the three keep an org inside its spending limit to the nano-dollar, and one instance SIGKILLed
// mid-traffic leaves holds that the billing jobs sweep, with nothing lost or billed twice.
// Figures: docs/security.md, "Many instances".
const PORTS = [sidePort(31), sidePort(32), sidePort(33)];
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";
const PRICEY_MODEL = "meta-llama/Llama-3.1-405B-Instruct"; // on sambanova: $5 / $10 per million tokens

test.describe.configure({ mode: "serial", timeout: 120_000 });

let db: OwnDatabase;
let upstream: Awaited<ReturnType<typeof startSlowUpstream>>;
let cluster: Awaited<ReturnType<typeof startInstances>>;
let admin: { userId: string; token: string; second: { id: string; token: string } };
/** A member of the limit and kill orgs, with no settings of their own: what test 1 changes is not theirs. */
let member: { userId: string; token: string };
let orgs: { settings: string; limit: string; kill: string };
let accounts: Record<keyof typeof orgs, string>;
const on = (i: number): Instance => cluster.instances[i]!;

/** A team org of one seat ($2 of credits) with the user of `email` as its admin; its billing account id. */
async function newOrg(email: string, name: string): Promise<string> {
  return withDb(db.url, async (prisma) => {
    const org = await createOrg(prisma, { name, plan: "team", seats: 1 });
    await addMember(prisma, { orgName: name, email, role: "admin" });
    return org.billingAccount!.id;
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  db = await ownDatabase();
  // `together` goes to a provider that takes 150 ms (requests stay in flight); the others answer
  // from the built-in sandbox.
  upstream = await startSlowUpstream(150);
  const suffix = randomUUID().slice(0, 8);
  const email = `instances-${suffix}@example.com`;
  admin = await withDb(db.url, async (prisma) => {
    const user = await createUser(prisma, { email, plan: "pro" });
    const { token } = await createApiToken(prisma, { userId: user.id, name: "main" });
    const second = await createApiToken(prisma, { userId: user.id, name: "second" });
    return { userId: user.id, token, second: { id: second.record.id, token: second.token } };
  });
  orgs = { settings: `inst-set-${suffix}`, limit: `inst-lim-${suffix}`, kill: `inst-kill-${suffix}` };
  accounts = {
    settings: await newOrg(email, orgs.settings),
    limit: await newOrg(email, orgs.limit),
    kill: await newOrg(email, orgs.kill),
  };
  member = await withDb(db.url, async (prisma) => {
    const user = await createUser(prisma, { email: `member-${email}`, plan: "pro" });
    for (const orgName of [orgs.limit, orgs.kill])
      await addMember(prisma, { orgName, email: user.email, role: "write" });
    return {
      userId: user.id,
      token: (await createApiToken(prisma, { userId: user.id, name: "member" })).token,
    };
  });
  cluster = await startInstances(db.url, PORTS, {
    ROUTER_UPSTREAMS: JSON.stringify({
      together: { apiKey: "instances-platform-key", baseUrl: upstream.baseUrl },
    }),
    ROUTER_UPSTREAM_TIMEOUT_MS: "2000",
    ROUTER_HOLD_TTL_MS: "3000",
  });
});

test.afterAll(async () => {
  await cluster?.stop();
  upstream?.stop();
  await db?.close();
});

const provider = (a: Answer) => a.body.model?.split(":").pop();

test("a setting changed on one instance applies to the next request on every other", async () => {
  const billTo = orgs.settings;
  // The org past its $2 of credits: $2.64 spent, so a limit under 64 cents stops it.
  await spend(accounts.settings, admin.userId, { providerId: "together", modelId: LLAMA }, 3_000_000);
  // Every instance sees the caller (both tokens) once: each now holds its own guess of their settings.
  const first = await Promise.all(
    cluster.instances.map((i) => chat(i, admin.token, { model: LLAMA, billTo })),
  );
  for (const a of first) expect(a.status, JSON.stringify(a.body)).toBe(200);
  const chosen = provider(first[0]!)!;
  expect(first.map(provider)).toEqual([chosen, chosen, chosen]);
  for (const i of cluster.instances)
    expect((await chat(i, admin.second.token, { model: LLAMA })).status).toBe(200);

  // A provider switched off for the org on instance 0: refused by name, and skipped, on 1 and 2.
  expect(
    await api(on(0), admin.token, "PUT", `/api/organizations/${billTo}/providers/${chosen}`, {
      enabled: false,
    }),
  ).toBe(200);
  for (const i of [on(1), on(2)]) {
    // Unnamed first: the instance's guess still says `chosen` (a refusal would drop the guess).
    const routed = await chat(i, admin.token, { model: LLAMA, billTo });
    expect(routed.status).toBe(200);
    expect(provider(routed)).not.toBe(chosen);
    const named = await chat(i, admin.token, { model: `${LLAMA}:${chosen}`, billTo });
    expect([named.status, named.body.error?.code]).toEqual([403, "provider_disabled"]);
  }

  // A token revoked on instance 0: refused at once on 1 and 2.
  expect(await api(on(0), admin.token, "DELETE", `/api/settings/tokens/${admin.second.id}`)).toBe(204);
  for (const i of [on(1), on(2)]) {
    const a = await chat(i, admin.second.token, { model: LLAMA });
    expect([a.status, a.body.error?.code]).toEqual([401, "invalid_token"]);
  }

  // A spending limit: $1 lets requests through; lowered to 50 cents on instance 0, under the
  // 64 cents spent, it stops the next request on 1 and 2.
  const limit = (cents: number | null) =>
    api(on(0), admin.token, "PUT", `/api/organizations/${billTo}/spending-limit`, { limitCents: cents });
  expect(await limit(100)).toBe(200);
  for (const i of [on(1), on(2)])
    expect((await chat(i, admin.token, { model: LLAMA, billTo })).status).toBe(200);
  expect(await limit(50)).toBe(200);
  for (const i of [on(1), on(2)]) {
    const a = await chat(i, admin.token, { model: LLAMA, billTo });
    expect([a.status, a.body.error?.code]).toEqual([402, "spending_limit_reached"]);
  }
  // And removed there: the next request on 1 and 2 goes through again.
  expect(await limit(null)).toBe(200);
  const after = await Promise.all([on(1), on(2)].map((i) => chat(i, admin.token, { model: LLAMA, billTo })));
  expect(after.map((a) => a.status)).toEqual([200, 200]);

  // A key of the caller's own added on instance 0: the next request on 1 and 2 uses it.
  const keyed = provider(after[0]!)!;
  expect(
    await api(on(0), admin.token, "PUT", `/api/settings/provider-keys/${keyed}`, { key: "own-key-12345678" }),
  ).toBe(200);
  for (const i of [on(1), on(2)]) {
    const a = await chat(i, admin.token, { model: `${LLAMA}:${keyed}`, billTo });
    expect(a.status).toBe(200);
    expect(a.body.usage!.cost).toMatchObject({ provider: keyed, mode: "custom_key" });
  }
});

test("300 concurrent requests over three instances keep the org within its limit, to the nano-dollar", async () => {
  const billTo = orgs.limit;
  // The org's $2 of credits spent, then a 2-cent limit: room for about 150 holds of 13,000 nano-dollars.
  await spend(accounts.limit, member.userId, { providerId: "sambanova", modelId: PRICEY_MODEL }, 400_000);
  const LIMIT_CENTS = 2;
  expect(
    await api(on(0), admin.token, "PUT", `/api/organizations/${billTo}/spending-limit`, {
      limitCents: LIMIT_CENTS,
    }),
  ).toBe(200);
  // "Hi" with 8 tokens out (the sandbox writes exactly 8): a hold of 130,000 nano-dollars (a
  // 10-token prompt bound at $5 per million, 8 tokens out at $10), billed 105,000, so the holds
  // fill the room as the bills will.
  const answers = await Promise.all(
    Array.from({ length: 300 }, (_, n) =>
      chat(on(n % 3), member.token, { model: `${PRICEY_MODEL}:sambanova`, billTo, maxTokens: 8 }),
    ),
  );
  const answered = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status !== 200);
  expect(refused.map((a) => a.body.error?.code)).toEqual(refused.map(() => "spending_limit_reached"));
  expect(answered.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);

  const { rows } = await db.pool.query<{
    used: string;
    payg: string;
    reserved: string;
    events: string;
    billed: string;
  }>(
    `SELECT p.credits_used_nano::text AS used, p.payg_nano::text AS payg, p.reserved_nano::text AS reserved,
            (SELECT count(*) FROM usage_events e WHERE e.account_id = p.account_id)::text AS events,
            (SELECT coalesce(sum(e.credits_nano + e.payg_nano), 0) FROM usage_events e WHERE e.account_id = p.account_id)::text AS billed
     FROM account_periods p WHERE p.account_id = $1::uuid`,
    [accounts.limit],
  );
  const month = rows[0]!;
  // Within the limit, every hold settled, and the counters are the sum of the answers, exactly.
  expect(BigInt(month.payg)).toBeLessThanOrEqual(BigInt(LIMIT_CENTS) * NANO_PER_CENT);
  expect(month.reserved).toBe("0");
  expect(Number(month.events)).toBe(answered.length + 1); // and the credits spent before
  expect(month.used).toBe("2000000000");
  expect(BigInt(month.payg)).toBe(BigInt(answered.length) * 105_000n); // each answer billed as its hold foresaw
  expect(BigInt(month.used) + BigInt(month.payg)).toBe(BigInt(month.billed));
  const byId = await billedById(accounts.limit);
  for (const a of answered) expect(byId.get(a.requestId!)).toBe(a.body.usage!.cost.billed_usd);
  console.log(
    `[many-instances] 300 requests over 3 instances: ${answered.length} answered, ${refused.length} refused; ` +
      `pay-as-you-go ${month.payg} of ${BigInt(LIMIT_CENTS) * NANO_PER_CENT} nano-dollars allowed`,
  );
});

test("an instance SIGKILLed mid-traffic loses nothing and bills nothing twice", async () => {
  const billTo = orgs.kill;
  const model = `${LLAMA}:together`; // the 150 ms provider: requests are in flight when it dies
  const answered = new Map<string, string>(); // request id -> billed_usd of its answer
  const unexpected: Answer[] = [];
  const cutOffOn: number[] = []; // the port of each call whose connection died
  let stopAt = Infinity;
  const caller = async (instance: Instance) => {
    while (answered.size < stopAt) {
      try {
        const a = await chat(instance, member.token, { model, billTo });
        if (a.status === 200) answered.set(a.requestId!, a.body.usage!.cost.billed_usd);
        else unexpected.push(a);
      } catch {
        cutOffOn.push(instance.port); // the connection died with the process
        return;
      }
    }
  };
  const traffic = Promise.all(Array.from({ length: 24 }, (_, n) => caller(on(n % 3))));
  await waitFor("calls to be answered", async () => answered.size >= 90 || unexpected.length > 0);
  const killed = on(2);
  await killed.app.kill("SIGKILL");
  // The other two keep serving.
  stopAt = answered.size + 60;
  await traffic;
  expect(unexpected).toEqual([]);
  // Only calls on the killed instance were cut off.
  const cutOff = cutOffOn.length;
  expect(cutOff).toBeGreaterThan(0);
  expect(cutOffOn).toEqual(cutOffOn.map(() => killed.port));

  // The dead instance left holds behind, still counted against the month.
  const left = await db.pool.query<{ n: string; reserved: string }>(
    `SELECT (SELECT count(*) FROM reservations WHERE account_id = $1::uuid)::text AS n,
            (SELECT coalesce(sum(reserved_nano), 0) FROM account_periods WHERE account_id = $1::uuid)::text AS reserved`,
    [accounts.kill],
  );
  const orphaned = Number(left.rows[0]!.n);
  expect(orphaned).toBeGreaterThan(0);
  expect(BigInt(left.rows[0]!.reserved)).toBeGreaterThan(0n);

  // Once they expire, the billing jobs (which every instance runs each minute) sweep them.
  await waitFor("the holds to expire", async () => {
    const { rows } = await db.pool.query(`SELECT 1 FROM reservations WHERE expires_at >= now()`);
    return rows.length === 0;
  });
  await waitFor("the billing jobs to sweep the holds", async () => {
    await runJobsNow(db.url);
    const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM reservations`);
    return rows[0]!.n === "0";
  });

  // Every answered call billed once, at its answer's amount; a call cut off billed at most once
  // (its settlement may have committed just before the process died), never twice (ids are keys).
  const byId = await billedById(accounts.kill);
  for (const [id, usd] of answered) expect(byId.get(id), `call ${id}`).toBe(usd);
  const unanswered = [...byId.keys()].filter((id) => !answered.has(id));
  expect(unanswered.length).toBeLessThanOrEqual(cutOff);
  await expectMoneyAgrees(db);
  console.log(
    `[many-instances] SIGKILL: ${answered.size} answered, ${cutOff} cut off, ${orphaned} orphaned holds swept, ` +
      `${unanswered.length} cut-off calls billed once`,
  );
});

/** Usage of `inputTokens` settled on the account now, as ingestion would: real events, so the books reconcile. */
function spend(
  accountId: string,
  userId: string,
  served: { providerId: string; modelId: string },
  inputTokens: number,
) {
  return withDb(db.url, (prisma) =>
    settleUsage(prisma, [
      {
        id: `instances-${randomUUID()}`,
        accountId,
        userId,
        ...served,
        mode: "routed",
        inputTokens,
        outputTokens: 0,
        computeMs: 0,
        occurredAt: new Date(),
      },
    ]),
  );
}

/** Each usage event of the account: its id and what it cost, in dollars. */
async function billedById(accountId: string): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ id: string; nano: string }>(
    `SELECT id, (credits_nano + payg_nano)::text AS nano FROM usage_events WHERE account_id = $1::uuid`,
    [accountId],
  );
  return new Map(rows.map((r) => [r.id, nanoToUsd(BigInt(r.nano))]));
}
