// After the traffic: the money agrees exactly. Reconciliation (the product's own job) finds no
// difference between the month's raw events, daily rollups and counters; the same sums,
// computed here per account, agree too, with no hold left; and the set of stored events is
// exactly what the answers said: every 200 stored once on the account it billed, nothing
// refused or failed stored, the capped org within its limit.
import type pg from "pg";
import { checkConservation } from "@/lib/ledger/conservation";
import { reconcileMonth } from "@/lib/ledger/reconcile";
import type { Db } from "@/lib/db/prisma";
import { NANO_PER_CENT } from "@/lib/money/units";
import type { Expected } from "./expected";
import type { Population } from "./population";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const ROUTER_ID = /^(?!load-)/; // ingestion ids start with load-, the router's are UUIDs

/** Settlements of the last requests may still be committing: wait (bounded) for no hold left. */
async function settled(pool: pg.Pool): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM reservations");
    if (rows[0]!.n === "0") return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function checkAgreement(db: Db, pool: pg.Pool, pop: Population, expected: Expected) {
  const checks: Check[] = [];
  const check = (name: string, problems: string[], okDetail: string) =>
    checks.push({
      name,
      ok: problems.length === 0,
      detail: problems.length
        ? `${problems.length} problem(s): ${problems
            .slice(0, 3)
            .map((p) => p.slice(0, 240))
            .join("; ")}`
        : okDetail,
    });

  check(
    "no hold left",
    (await settled(pool)) ? [] : ["reservations remain 10 s after the traffic"],
    "0 reservations",
  );

  const money = await checkConservation(db);
  check(
    "money conservation (processor's captures = invoice and threshold charges)",
    money.problems,
    `${money.capturedCents} cents captured = ${money.chargedCents} charged`,
  );

  const reconciled = await reconcileMonth(db, { period: pop.period, repair: false });
  check(
    "reconcile (events = rollups = counters)",
    reconciled.differences.map(
      (d) =>
        `${d.accountId} ${d.kind} ${d.key}: events ${JSON.stringify(d.expected)}, stored ${JSON.stringify(d.stored)}`,
    ),
    `${reconciled.month}: no difference`,
  );

  // The same sums, independently, per account; and reserved_nano back to 0.
  const { rows: accounts } = await pool.query<{
    account_id: string;
    events: string | null;
    rollup: string | null;
    counters: string | null;
    reserved: string | null;
  }>(
    `WITH e AS (SELECT account_id, concat_ws('/', sum(credits_nano), sum(payg_nano), count(*)) AS v
                FROM usage_events WHERE occurred_at >= $1::date AND occurred_at < $2::date GROUP BY 1),
          d AS (SELECT account_id, concat_ws('/', sum(credits_nano), sum(payg_nano), sum(requests)) AS v
                FROM usage_daily WHERE day >= $1::date AND day < $2::date GROUP BY 1),
          p AS (SELECT account_id, credits_used_nano, payg_nano, reserved_nano FROM account_periods WHERE period = $1::date)
     SELECT account_id, e.v AS events, d.v AS rollup,
            concat_ws('/', p.credits_used_nano, p.payg_nano) AS counters, p.reserved_nano::text AS reserved
     FROM e FULL JOIN d USING (account_id) FULL JOIN p USING (account_id)`,
    [pop.from, pop.to],
  );
  const sumProblems: string[] = [];
  for (const a of accounts) {
    const [credits = "0", payg = "0"] = (a.events ?? "").split("/");
    const counters = `${credits || 0}/${payg || 0}`;
    if (a.events !== a.rollup) sumProblems.push(`${a.account_id}: events ${a.events} != rollups ${a.rollup}`);
    if ((a.counters ?? "0/0") !== counters)
      sumProblems.push(`${a.account_id}: counters ${a.counters} != events ${counters}`);
    if ((a.reserved ?? "0") !== "0") sumProblems.push(`${a.account_id}: reserved_nano ${a.reserved}`);
  }
  check(
    "per account: events = rollups = counters, reserved 0",
    sumProblems,
    `${accounts.length} accounts (credits/payg/requests)`,
  );

  // Every stored event, by id: how often, on which account.
  const { rows: events } = await pool.query<{ id: string; account_id: string; inside: boolean }>(
    `SELECT id, account_id, occurred_at >= $1::date AND occurred_at < $2::date AS inside FROM usage_events`,
    [pop.from, pop.to],
  );
  const stored = new Map<string, { accountId: string; times: number }>();
  for (const e of events) {
    const s = stored.get(e.id);
    if (s) s.times++;
    else stored.set(e.id, { accountId: e.account_id, times: 1 });
  }
  check(
    "every event in the month, each id once",
    [
      ...events.filter((e) => !e.inside).map((e) => `${e.id} outside ${pop.from}..${pop.to}`),
      ...[...stored].filter(([, s]) => s.times > 1).map(([id, s]) => `${id} stored ${s.times} times`),
    ],
    `${events.length} events`,
  );

  const storedOnce = (ids: Map<string, string>) =>
    [...ids].flatMap(([id, accountId]) => {
      const s = stored.get(id);
      if (!s) return [`${id} answered but not stored`];
      return s.accountId === accountId ? [] : [`${id} billed ${s.accountId}, not ${accountId}`];
    });
  check(
    "router: every 200 stored once, on its account",
    storedOnce(expected.routerOk),
    `${expected.routerOk.size} ids`,
  );

  const routerStored = new Map<string, number>();
  for (const [id, s] of stored)
    if (ROUTER_ID.test(id)) routerStored.set(s.accountId, (routerStored.get(s.accountId) ?? 0) + 1);
  const routerProblems: string[] = [];
  for (const accountId of new Set([...routerStored.keys(), ...expected.routerOkByAccount.keys()])) {
    const have = routerStored.get(accountId) ?? 0;
    const ok = expected.routerOkByAccount.get(accountId) ?? 0;
    const unknown = expected.routerUnanswered.get(accountId) ?? 0;
    if (have < ok || have > ok + unknown)
      routerProblems.push(
        `${accountId}: ${have} router events for ${ok} answered 200 (+${unknown} unanswered)`,
      );
  }
  check("router: no refused or failed call stored", routerProblems, `${routerStored.size} accounts`);

  check(
    "ingest: every acknowledged id stored once, on its account",
    storedOnce(expected.eventsAcked),
    `${expected.eventsAcked.size} ids`,
  );

  const unansweredIds = new Set(expected.batchesUnanswered.flat());
  const ingestProblems = [
    ...[...expected.eventsRejected]
      .filter((id) => stored.has(id) && !expected.eventsAcked.has(id))
      .map((id) => `${id} refused or failed, yet stored`),
    ...[...stored.keys()]
      .filter((id) => !ROUTER_ID.test(id) && id !== "load-prespend")
      .filter((id) => !expected.eventsAcked.has(id) && !unansweredIds.has(id))
      .map((id) => `${id} stored, never acknowledged`),
    ...expected.batchesUnanswered
      .filter((ids) => ids.some((id) => stored.has(id)) && !ids.every((id) => stored.has(id)))
      .map((ids) => `batch ${ids[0]}.. stored in part`),
  ];
  check("ingest: nothing refused, failed or unacknowledged stored; batches whole", ingestProblems, "none");

  const capped = pop.orgs.find((o) => o.capped)!;
  const limitNano = BigInt(pop.cappedLimitCents) * NANO_PER_CENT;
  const { rows: cappedRows } = await pool.query<{ payg: string }>(
    "SELECT payg_nano::text AS payg FROM account_periods WHERE account_id = $1 AND period = $2::date",
    [capped.accountId, pop.from],
  );
  const payg = BigInt(cappedRows[0]?.payg ?? "0");
  check(
    "capped org within its spending limit",
    payg <= limitNano ? [] : [`pay-as-you-go ${payg} nano > limit ${limitNano} nano`],
    `${payg} of ${limitNano} nano`,
  );

  const { rows: totals } = await pool.query<{ billed: string }>(
    "SELECT coalesce(sum(credits_nano + payg_nano), 0)::text AS billed FROM usage_events",
  );
  return { checks, ok: checks.every((c) => c.ok), events: events.length, billedNano: totals[0]!.billed };
}
