import type pg from "pg";
import { CopyLines, copyRows, copyText } from "@/lib/db/copy";
import { raw, sql } from "@/lib/db/sql";
import { conflict } from "@/lib/kernel/errors";
import { NANO_PER_CENT } from "@/lib/money/units";
import { holdFitsSql } from "@/lib/ledger/room";
import { thresholdChargesDueSql } from "@/lib/ledger/threshold";
import { alertLevelReachedSql, alertLevelsSql } from "@/lib/alerts/levels-sql";
import { isoDay, periodStart } from "@/lib/kernel/period";
import type { UsageInput } from "./settle";

// The SQL of a settlement (lib/ledger/settle.ts): two statements inside its transaction.

export type Amounts = { costNano: bigint; creditsNano: bigint; paygNano: bigint };
export type Row = UsageInput & Amounts & { hardware: string | null };

export interface PeriodRow {
  accountId: string;
  period: Date;
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
  /** Open holds on the month, of requests in flight. */
  reservedNano: bigint;
  /** The account's spending limit on pay-as-you-go, as read with the month. */
  limitNano: bigint | null;
  thresholdCents: number;
  payAsYouGo: boolean;
}

/** The key of a hold: the account it holds on and the request id it was placed under. */
export const holdKey = (accountId: string, requestId: string) => `${accountId}|${requestId}`;

/** A hold a batch settles: its amount and the month it holds on. */
export interface HoldRow {
  amountNano: bigint;
  period: Date;
}

/**
 * The key of the account's month that `at` falls in (any instant of it, or its first day): sorts
 * as (account, month) do in SQL, so locks taken in key order match write()'s. The month is a
 * number (202611), not a padded string: a batch asks for the key of every event, twice.
 */
export const periodKey = (accountId: string, at: Date) =>
  `${accountId}|${at.getUTCFullYear() * 100 + at.getUTCMonth() + 1}`;

/**
 * One statement before allocating: create the month rows the batch touches (with the month's
 * included credits: plan terms in force on the 1st, times seats for org plans) and read them,
 * with the account's spending limit; read the holds placed for these requests; and find the
 * requests already stored. Amounts
 * travel as text inside JSON, so no BigInt ever passes through a float.
 *
 * Without `lock`, the months are read, not locked: the batch allocates from this snapshot and
 * write() locks them only at the end, so concurrent batches insert their events in parallel.
 * With `lock` (the retry when that snapshot went stale), they are locked here, in key order.
 */
export async function prepare(
  client: pg.PoolClient,
  events: UsageInput[],
  opts: { lock: boolean; holds: HoldRef[] },
) {
  const wanted = new Map<string, { accountId: string; period: Date }>();
  for (const e of events) {
    const key = periodKey(e.accountId, e.occurredAt);
    if (!wanted.has(key)) wanted.set(key, { accountId: e.accountId, period: periodStart(e.occurredAt) });
  }
  const keys = [...wanted.keys()].sort();
  const accounts = keys.map((k) => wanted.get(k)!.accountId);
  const months = keys.map((k) => isoDay(wanted.get(k)!.period));
  const ids = [...new Set(events.map((e) => e.id))];
  const {
    rows: [found],
  } = await client.query<{
    periods: {
      a: string;
      p: string;
      included: string;
      used: string;
      payg: string;
      reserved: string;
      limit: number | null;
      threshold: number;
      paygAllowed: boolean;
    }[];
    holds: { a: string; id: string; amount: string; p: string }[];
    existing: { id: string; cost: string; credits: string; payg: string }[];
  }>(sql`
    WITH upserted AS (
      INSERT INTO account_periods AS ap (account_id, period, credits_included_nano)
      SELECT w.account_id, w.period, t.monthly_credits_nano * CASE WHEN t.per_seat THEN a.seats ELSE 1 END
      FROM unnest(${accounts}::uuid[], ${months}::date[]) WITH ORDINALITY AS w(account_id, period, n)
      JOIN billing_accounts a ON a.id = w.account_id
      JOIN LATERAL (SELECT * FROM plan_prices pp WHERE pp.plan = a.plan AND pp.effective_from <= w.period
                    ORDER BY pp.effective_from DESC LIMIT 1) t ON true
      -- Without the lock, a month that exists is only read (below): an insert that met it would
      -- wait for whichever batch holds it locked, and batches would run one after another.
      WHERE ${opts.lock}::boolean
         OR NOT EXISTS (SELECT 1 FROM account_periods x WHERE x.account_id = w.account_id AND x.period = w.period)
      ORDER BY w.n
      ON CONFLICT (account_id, period) ${opts.lock ? raw("DO UPDATE SET updated_at = ap.updated_at") : raw("DO NOTHING")}
      RETURNING ap.*
    ), months AS (
      SELECT * FROM upserted
      UNION ALL -- without the lock, the rows that existed, read from the snapshot
      SELECT ap.* FROM account_periods ap
      JOIN unnest(${accounts}::uuid[], ${months}::date[]) AS w(account_id, period) ON ap.account_id = w.account_id AND ap.period = w.period
      WHERE NOT ${opts.lock}::boolean
    ), terms AS (
      -- Whether pay-as-you-go is allowed: the plan's terms in force on the month's 1st, found once
      -- per plan and month, not once per account (a batch touches hundreds of accounts).
      SELECT DISTINCT ON (pp.plan, m.period) pp.plan, m.period, pp.pay_as_you_go
      FROM (SELECT DISTINCT period FROM unnest(${months}::date[]) AS m(period)) m
      JOIN plan_prices pp ON pp.effective_from <= m.period
      ORDER BY pp.plan, m.period, pp.effective_from DESC
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
         'a', l.account_id, 'p', l.period, 'included', l.credits_included_nano::text, 'used', l.credits_used_nano::text,
         'payg', l.payg_nano::text, 'reserved', l.reserved_nano::text, 'limit', a.spending_limit_cents,
         'threshold', a.threshold_cents, 'paygAllowed', t.pay_as_you_go)), '[]')
       FROM months l JOIN billing_accounts a ON a.id = l.account_id
       LEFT JOIN terms t ON t.plan = a.plan AND t.period = l.period) AS periods,
      (SELECT coalesce(json_agg(json_build_object('a', r.account_id, 'id', r.request_id, 'amount', r.amount_nano::text,
                                                  'p', r.period)), '[]')
       FROM reservations r
       JOIN unnest(${opts.holds.map((h) => h.accountId)}::uuid[], ${opts.holds.map((h) => h.requestId)}::text[])
         AS w(account_id, request_id) ON r.account_id = w.account_id AND r.request_id = w.request_id) AS holds,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'cost', cost_nano::text, 'credits', credits_nano::text, 'payg', payg_nano::text)), '[]')
       FROM usage_event_ids i JOIN usage_events e USING (account_id, occurred_at, id)
       WHERE i.id = ANY(${ids}::text[])) AS existing`);

  const periods = new Map<string, PeriodRow>();
  for (const r of found!.periods) {
    const period = new Date(`${r.p}T00:00:00Z`);
    periods.set(periodKey(r.a, period), {
      accountId: r.a,
      period,
      creditsIncludedNano: BigInt(r.included),
      creditsUsedNano: BigInt(r.used),
      paygNano: BigInt(r.payg),
      reservedNano: BigInt(r.reserved),
      limitNano: r.limit === null ? null : BigInt(r.limit) * NANO_PER_CENT,
      thresholdCents: r.threshold,
      payAsYouGo: r.paygAllowed,
    });
  }
  for (const [key, w] of wanted) {
    if (periods.has(key)) continue;
    // Created by a concurrent batch after this statement's snapshot: settle again, locked.
    if (!opts.lock) return null;
    throw new Error(`No plan terms in force for account ${w.accountId} on ${isoDay(w.period)}.`);
  }
  const holds = new Map<string, HoldRow>(
    found!.holds.map((h) => [
      holdKey(h.a, h.id),
      { amountNano: BigInt(h.amount), period: new Date(`${h.p}T00:00:00Z`) },
    ]),
  );
  const existing = new Map<string, Amounts>(
    found!.existing.map((e) => [
      e.id,
      { costNano: BigInt(e.cost), creditsNano: BigInt(e.credits), paygNano: BigInt(e.payg) },
    ]),
  );
  return { periods, holds, existing };
}

/** What a batch does to one month's counters, computed from prepare()'s snapshot. */
export interface MonthDelta {
  accountId: string;
  period: Date;
  /** Credits left in the snapshot the batch allocated from. */
  creditsLeftNano: bigint;
  /** What the batch asked of the credits: the cost of its routed, billable requests. */
  demandNano: bigint;
  creditsNano: bigint;
  paygNano: bigint;
  thresholdCents: number;
  /**
   * Whether the batch bills requests here without a hold: then the month as the batch leaves it
   * must still satisfy the hold rule (with nothing more asked), checked under the lock.
   */
  checkRoom: boolean;
  /** The spending limit and the plan's terms the batch allocated with. */
  limitNano: bigint | null;
  payAsYouGo: boolean;
}

/**
 * The hold rule (lib/ledger/room.ts) on a month as write() leaves it: its counters now, locked,
 * plus the batch's credits and pay-as-you-go, less the holds it releases. True when the batch
 * took no more than the room there was, however the month moved since the batch's snapshot.
 */
const roomLeft = holdFitsSql({
  paygNano: "l.payg_nano + d.payg",
  reservedNano: "GREATEST(0, l.reserved_nano - coalesce(h.amount, 0))",
  creditsLeftNano: "l.credits_included_nano - l.credits_used_nano - d.credits",
  limitNano: "d.limit_nano",
  payAsYouGo: "d.payg_allowed",
  amountNano: "0",
});

/** Whether an alert's level is reached (lib/alerts/levels.ts). */
const levelReached = alertLevelReachedSql({ used: "k.used", cap: "k.cap", level: "lv.level" });

/** The threshold charges due on a month as write() leaves it (lib/ledger/threshold.ts). */
const chargesDue = thresholdChargesDueSql({
  paygNano: "l.payg_nano + d.payg",
  chargedNano: "l.threshold_charged_nano",
  thresholdCents: "d.threshold_cents",
});

/**
 * Stores the events, releases their holds, locks the months (in key order, so batches never
 * deadlock), checks the snapshot the batch allocated from still holds, adds to the months'
 * counters and the daily rollup, and creates the threshold charges that became due: one
 * statement of data-modifying CTEs.
 *
 * The snapshot holds when the credits the batch could use are the same now: either the credits
 * left are unchanged, or both then and now they cover the batch's whole demand; and, where the
 * batch bills requests without a hold, when the month it leaves still satisfies the hold rule
 * (so the spending limit holds whatever concurrent batches and holds did since). Otherwise
 * `fresh` is false and nothing but the events was written (nothing at all when `atomic`); in a
 * batch, `locked` then has the months as they are now, locked by this transaction until it ends.
 * The holds it releases are locked too: one that went meanwhile (settled by another request,
 * swept) fails it (hold_gone, retried: the retry bills that request without a hold).
 *
 * In a batch (`atomic: false`, `db` the client of the caller's transaction), the events go in
 * by COPY before the statement takes any lock (COPY has no arrays to parse and no rows to
 * materialize: bench:ingest measured about 10 µs of PostgreSQL's CPU less per event), so
 * concurrent batches store in parallel and wait for each other only for the counters; on a
 * stale snapshot the caller rolls back.
 * The rollup rows are summed here, so the statement upserts one row per group, not per event.
 * `atomic`: the statement is the whole settlement (one request, its own transaction): the
 * months are locked first, and a stale snapshot writes nothing.
 * `stored`: this transaction stored the events already (settled again after a stale snapshot).
 */
export async function write(
  db: pg.Pool | pg.PoolClient,
  rows: Row[],
  months: MonthDelta[],
  opts: {
    atomic: boolean;
    /** The holds this settlement releases (each once), by account and request id. */
    holds: HoldRef[];
    /** How many of them the batch allocated from: fewer now means one went meanwhile. */
    expectedHolds: number;
    stored?: boolean;
  },
): Promise<{ fresh: boolean; charges: number; alerts: number; locked?: Map<string, MonthNow> }> {
  const m = months;
  const h = opts.holds;
  // In a batch, the events go in by COPY first; an atomic statement inserts its own (below).
  const inserted = opts.atomic ? rows : [];
  if (!opts.atomic && !opts.stored) await copyEvents(db as pg.PoolClient, rows);
  const daily = dailyRollup(rows);
  let result:
    | {
        inserted: string;
        fresh: boolean;
        charges: string;
        alerts: string;
        holdsOk: boolean;
        locked:
          { a: string; p: string; included: string; used: string; payg: string; reserved: string }[] | null;
      }
    | undefined;
  try {
    [result] = (
      await db.query<NonNullable<typeof result>>(sql`
    WITH delta AS (
      SELECT * FROM unnest(${m.map((d) => d.accountId)}::uuid[], ${m.map((d) => isoDay(d.period))}::date[],
                           ${m.map((d) => d.creditsLeftNano)}::bigint[], ${m.map((d) => d.demandNano)}::bigint[],
                           ${m.map((d) => d.creditsNano)}::bigint[], ${m.map((d) => d.paygNano)}::bigint[],
                           ${m.map((d) => d.thresholdCents)}::int[], ${m.map((d) => d.checkRoom)}::boolean[],
                           ${m.map((d) => d.limitNano)}::bigint[], ${m.map((d) => d.payAsYouGo)}::boolean[])
        AS d(account_id, period, left_then, demand, credits, payg, threshold_cents, check_room, limit_nano, payg_allowed)
    ), locked AS (
      -- The newest version of each month row (READ COMMITTED re-reads a row it waited for).
      SELECT p.account_id, p.period, p.credits_included_nano - p.credits_used_nano AS left_now,
             p.credits_included_nano, p.credits_used_nano, p.payg_nano, p.reserved_nano, p.threshold_charged_nano
      FROM account_periods p JOIN delta d ON p.account_id = d.account_id AND p.period = d.period
      ORDER BY p.account_id, p.period
      FOR UPDATE OF p
    ), holding AS (
      -- The holds this batch releases, as they are now, locked: two settlements never both use one.
      SELECT r.account_id, r.id, r.period, r.amount_nano
      FROM reservations r
      JOIN unnest(${h.map((x) => x.accountId)}::uuid[], ${h.map((x) => x.requestId)}::text[]) AS w(account_id, request_id)
        ON r.account_id = w.account_id AND r.request_id = w.request_id
      ORDER BY r.account_id, r.id
      FOR UPDATE OF r
    ), holds_ok AS (
      SELECT count(*) = ${opts.expectedHolds} AS ok FROM holding
    ), due AS (
      -- The threshold charges this batch makes due (thresholdChargesDue).
      SELECT d.*,
             LEAST(GREATEST(d.left_then, 0), d.demand) = LEAST(GREATEST(l.left_now, 0), d.demand)
               AND (NOT d.check_room OR ${roomLeft}) AS fresh,
             (${chargesDue})::int AS n
      FROM delta d JOIN locked l ON l.account_id = d.account_id AND l.period = d.period
      LEFT JOIN (SELECT account_id, period, sum(amount_nano)::bigint AS amount FROM holding GROUP BY 1, 2) h
        ON h.account_id = d.account_id AND h.period = d.period
    ), batch AS (
      SELECT * FROM unnest(
        ${inserted.map((r) => r.id)}::text[], ${inserted.map((r) => r.accountId)}::uuid[], ${inserted.map((r) => r.userId)}::uuid[],
        ${inserted.map((r) => r.providerId)}::text[], ${inserted.map((r) => r.modelId)}::text[],
        ${inserted.map((r) => r.mode)}::"BillingMode"[], ${inserted.map((r) => r.inputTokens)}::int[],
        ${inserted.map((r) => r.outputTokens)}::int[], ${inserted.map((r) => r.computeMs)}::int[],
        ${inserted.map((r) => r.hardware)}::text[], ${inserted.map((r) => r.costNano)}::bigint[],
        ${inserted.map((r) => r.creditsNano)}::bigint[], ${inserted.map((r) => r.paygNano)}::bigint[],
        ${inserted.map((r) => r.occurredAt)}::timestamptz[], ${inserted.map((r) => r.served?.streamed ?? null)}::boolean[],
        ${inserted.map((r) => r.served?.latencyMs ?? null)}::int[], ${inserted.map((r) => cachedOf(r))}::int[],
        ${inserted.map((r) => reasoningOf(r))}::int[], ${inserted.map((r) => r.tokenId ?? null)}::uuid[])
        AS r(id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens, compute_ms, hardware,
             cost_nano, credits_nano, payg_nano, occurred_at, streamed, latency_ms, cached_input_tokens, reasoning_tokens,
             token_id)
    ), ids AS (
      -- An id taken since the snapshot (a concurrent batch) is skipped, and the count falls short.
      INSERT INTO usage_event_ids (id, account_id, occurred_at)
      SELECT id, account_id, occurred_at FROM batch
      WHERE NOT ${opts.atomic}::boolean OR ((SELECT bool_and(fresh) FROM due) AND (SELECT ok FROM holds_ok))
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), ins AS (
      INSERT INTO usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens,
                                compute_ms, hardware, cost_nano, credits_nano, payg_nano, occurred_at, streamed, latency_ms,
                                cached_input_tokens, reasoning_tokens, token_id)
      SELECT * FROM batch WHERE id IN (SELECT id FROM ids)
      RETURNING 1
    ), ok AS (
      -- Counters move only with every event stored and every hold there: a short count is retried
      -- (usage_id_conflict, hold_gone), and an atomic statement, committed by itself, must not have
      -- counted what it did not store.
      SELECT (SELECT bool_and(fresh) FROM due) AND (SELECT count(*) FROM ids) = ${inserted.length}
             AND (SELECT ok FROM holds_ok) AS ok
    ), released AS (
      -- The holds of these requests go back.
      DELETE FROM reservations r USING holding x
      WHERE r.account_id = x.account_id AND r.id = x.id AND (SELECT ok FROM ok)
      RETURNING r.account_id, r.period, r.amount_nano
    ), elsewhere AS (
      -- A hold placed in the month before the one its request ran in (just before the 1st) goes
      -- back to the month it held on, which the counters below do not touch.
      UPDATE account_periods p SET reserved_nano = GREATEST(0, p.reserved_nano - s.amount), updated_at = now()
      FROM (SELECT r.account_id, r.period, sum(r.amount_nano)::bigint AS amount FROM released r
            WHERE NOT EXISTS (SELECT 1 FROM delta d WHERE d.account_id = r.account_id AND d.period = r.period)
            GROUP BY 1, 2) s
      WHERE p.account_id = s.account_id AND p.period = s.period
    ), counters AS (
      UPDATE account_periods p SET
        credits_used_nano = p.credits_used_nano + due.credits,
        payg_nano = p.payg_nano + due.payg,
        threshold_charged_nano = p.threshold_charged_nano + due.n::bigint * due.threshold_cents::bigint * ${NANO_PER_CENT}::bigint,
        reserved_nano = GREATEST(0, p.reserved_nano - coalesce(
          (SELECT sum(r.amount_nano) FROM released r WHERE r.account_id = due.account_id AND r.period = due.period), 0)),
        updated_at = now()
      FROM due WHERE p.account_id = due.account_id AND p.period = due.period
        AND (SELECT ok FROM ok) -- a stale batch writes no counters (and is rolled back)
      RETURNING p.account_id, p.period, p.credits_included_nano, p.credits_used_nano, p.payg_nano
    ), fired AS (
      -- Alerts at each level (lib/alerts/levels.ts) of the credits and of the spending limit, from the counters as this
      -- batch leaves them (the month rows are locked): the unique key makes each level fire once.
      INSERT INTO alerts (account_id, period, kind, level, used_nano, cap_nano)
      SELECT c.account_id, c.period, k.kind, lv.level, k.used, k.cap
      FROM counters c
      JOIN billing_accounts a ON a.id = c.account_id
      CROSS JOIN LATERAL (VALUES
        ('credits'::"AlertKind", c.credits_used_nano, c.credits_included_nano),
        ('spending_limit'::"AlertKind", c.payg_nano, a.spending_limit_cents::bigint * ${NANO_PER_CENT}::bigint)
      ) AS k(kind, used, cap)
      CROSS JOIN ${alertLevelsSql}
      WHERE ${levelReached}
      ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_id, period, kind, level) DO NOTHING
      RETURNING 1
    ), rollup AS (
      INSERT INTO usage_daily AS d (account_id, day, provider_id, model_id, mode, user_id, requests, input_tokens,
                                    output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
      SELECT * FROM unnest(
        ${daily.map((d) => d.accountId)}::uuid[], ${daily.map((d) => d.day)}::date[], ${daily.map((d) => d.providerId)}::text[],
        ${daily.map((d) => d.modelId)}::text[], ${daily.map((d) => d.mode)}::"BillingMode"[], ${daily.map((d) => d.userId)}::uuid[],
        ${daily.map((d) => d.requests)}::int[], ${daily.map((d) => d.inputTokens)}::bigint[],
        ${daily.map((d) => d.outputTokens)}::bigint[], ${daily.map((d) => d.computeMs)}::bigint[],
        ${daily.map((d) => d.costNano)}::bigint[], ${daily.map((d) => d.creditsNano)}::bigint[],
        ${daily.map((d) => d.paygNano)}::bigint[])
      -- Only when ok, and so only once the months are locked (due reads them): every
      -- batch locks months, then rollup rows, in key order.
      WHERE (SELECT ok FROM ok)
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT (account_id, day, provider_id, model_id, mode, user_id) DO UPDATE SET
        requests = d.requests + EXCLUDED.requests,
        input_tokens = d.input_tokens + EXCLUDED.input_tokens,
        output_tokens = d.output_tokens + EXCLUDED.output_tokens,
        compute_ms = d.compute_ms + EXCLUDED.compute_ms,
        cost_nano = d.cost_nano + EXCLUDED.cost_nano,
        credits_nano = d.credits_nano + EXCLUDED.credits_nano,
        payg_nano = d.payg_nano + EXCLUDED.payg_nano
      RETURNING 1
    ), charges AS (
      -- seq makes each charge exactly-once: (account, month, seq) is unique.
      INSERT INTO threshold_charges (account_id, period, seq, amount_cents)
      SELECT due.account_id, due.period,
             coalesce((SELECT max(t.seq) FROM threshold_charges t WHERE t.account_id = due.account_id AND t.period = due.period), 0) + g,
             due.threshold_cents
      FROM due CROSS JOIN LATERAL generate_series(1, due.n) AS g
      WHERE (SELECT ok FROM ok)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins) AS inserted,
           (SELECT bool_and(fresh) FROM due) AS fresh,
           (SELECT count(*) FROM charges) AS charges,
           (SELECT count(*) FROM fired) AS alerts,
           (SELECT ok FROM holds_ok) AS "holdsOk",
           (SELECT count(*) FROM rollup) + (SELECT count(*) FROM counters) AS written,
           -- When stale: the months as they are now (locked), to allocate again from.
           (SELECT json_agg(json_build_object('a', account_id, 'p', period, 'included', credits_included_nano::text,
                                              'used', credits_used_nano::text, 'payg', payg_nano::text,
                                              'reserved', reserved_nano::text))
            FROM locked WHERE NOT (SELECT bool_and(fresh) FROM due)) AS locked`)
    ).rows;
  } catch (e) {
    // The charges are numbered from max(seq) as this statement's snapshot saw it; a concurrent
    // settlement that charged the same month after the snapshot makes the number taken. Nothing
    // is written: treat it as a stale snapshot (settled again with the months locked first).
    if ((e as { constraint?: string }).constraint === "threshold_charges_account_id_period_seq_key") {
      return { fresh: false, charges: 0, alerts: 0 };
    }
    throw e;
  }
  // A hold gone since the snapshot: nothing was counted (an atomic statement wrote nothing at all).
  if (!result!.holdsOk) throw holdGone();
  const fresh = result!.fresh !== false;
  if (fresh && Number(result!.inserted) !== inserted.length) {
    // An id taken by another account's request in a concurrent batch: nothing is written; retrying resolves it.
    throw idTaken();
  }
  if (!fresh) {
    const locked = new Map<string, MonthNow>();
    for (const r of result!.locked ?? [])
      locked.set(periodKey(r.a, new Date(`${r.p}T00:00:00Z`)), {
        creditsIncludedNano: BigInt(r.included),
        creditsUsedNano: BigInt(r.used),
        paygNano: BigInt(r.payg),
        reservedNano: BigInt(r.reserved),
      });
    return { fresh, charges: 0, alerts: 0, locked };
  }
  return { fresh, charges: Number(result!.charges), alerts: Number(result!.alerts) };
}

/** A month's counters as write() found them, locked. */
export type MonthNow = Pick<
  PeriodRow,
  "creditsIncludedNano" | "creditsUsedNano" | "paygNano" | "reservedNano"
>;

/** A hold a settlement releases: the account it holds on and the request id it was placed under. */
export interface HoldRef {
  accountId: string;
  requestId: string;
}

/**
 * Corrects the split (credits, pay-as-you-go) of events this transaction stored, after the batch
 * was allocated again from its months as they are now: the few events at a month's credits'
 * edge change, so they are updated in place instead of the whole batch being stored again.
 */
export async function correctSplit(client: pg.PoolClient, before: Row[], after: Row[]) {
  const was = new Map(before.map((r) => [r.id, r]));
  const changed = after.filter((r) => {
    const b = was.get(r.id)!;
    return b.creditsNano !== r.creditsNano || b.paygNano !== r.paygNano;
  });
  if (changed.length === 0) return;
  const { rowCount } = await client.query(sql`
    UPDATE usage_events e SET credits_nano = c.credits, payg_nano = c.payg
    FROM unnest(${changed.map((r) => r.id)}::text[], ${changed.map((r) => r.accountId)}::uuid[],
                ${changed.map((r) => r.occurredAt)}::timestamptz[], ${changed.map((r) => r.creditsNano)}::bigint[],
                ${changed.map((r) => r.paygNano)}::bigint[]) AS c(id, account_id, occurred_at, credits, payg)
    WHERE e.account_id = c.account_id AND e.occurred_at = c.occurred_at AND e.id = c.id`);
  if (rowCount !== changed.length)
    throw new Error(`Corrected ${rowCount} of ${changed.length} stored events.`);
}

/**
 * Stores a batch's events with COPY, on the settlement's connection: each id into the registry
 * first, where an id taken by a concurrent batch since prepare()'s snapshot fails the whole
 * transaction (usage_id_conflict, retried: the retry sees it as a duplicate).
 */
async function copyEvents(client: pg.PoolClient, rows: Row[]) {
  const ids = new CopyLines();
  const events = new CopyLines();
  for (const r of rows) {
    // uuids, the mode, numbers and ISO dates need no escaping; the texts may.
    const id = copyText(r.id);
    const at = r.occurredAt.toISOString();
    ids.add(`${id}\t${r.accountId}\t${at}\n`);
    events.add(
      `${id}\t${r.accountId}\t${r.userId}\t${copyText(r.providerId)}\t${copyText(r.modelId)}\t${r.mode}\t${r.inputTokens}\t${r.outputTokens}\t${r.computeMs}\t${copyText(r.hardware)}\t${r.costNano}\t${r.creditsNano}\t${r.paygNano}\t${at}\t${r.served ? r.served.streamed : "\\N"}\t${r.served ? r.served.latencyMs : "\\N"}\t${cachedOf(r)}\t${reasoningOf(r)}\t${r.tokenId ?? "\\N"}\n`,
    );
  }
  try {
    await copyRows(client, "usage_event_ids", ["id", "account_id", "occurred_at"], ids);
  } catch (e) {
    if ((e as { constraint?: string }).constraint === "usage_event_ids_pkey") throw idTaken();
    throw e;
  }
  await copyRows(client, "usage_events", eventColumns, events);
}

const eventColumns = [
  "id",
  "account_id",
  "user_id",
  "provider_id",
  "model_id",
  "mode",
  "input_tokens",
  "output_tokens",
  "compute_ms",
  "hardware",
  "cost_nano",
  "credits_nano",
  "payg_nano",
  "occurred_at",
  "streamed",
  "latency_ms",
  "cached_input_tokens",
  "reasoning_tokens",
  "token_id",
];

// allocate() stores the classes as rated (tokenClasses); an event without them had none.
const cachedOf = (r: Row) => r.cachedInputTokens ?? 0;
const reasoningOf = (r: Row) => r.reasoningTokens ?? 0;

const holdGone = () => conflict("hold_gone", "A hold was settled or released concurrently. Retry the batch.");

const idTaken = () =>
  conflict(
    "usage_id_conflict",
    "Some request ids were recorded concurrently for another account. Retry the batch.",
  );

/** A batch's additions to the daily rollup: one row per account, UTC day, provider, model, mode and member. */
export function dailyRollup(rows: Row[]) {
  const days = new Map<
    string,
    {
      accountId: string;
      day: string;
      providerId: string;
      modelId: string;
      mode: Row["mode"];
      userId: string;
      requests: number;
      inputTokens: number;
      outputTokens: number;
      computeMs: number;
      costNano: bigint;
      creditsNano: bigint;
      paygNano: bigint;
    }
  >();
  for (const r of rows) {
    const ms = r.occurredAt.getTime();
    const dayStart = ms - (ms % 86_400_000); // the UTC day, without a string per event
    const key = `${r.accountId}\u0000${dayStart}\u0000${r.providerId}\u0000${r.modelId}\u0000${r.mode}\u0000${r.userId}`;
    const sum = days.get(key);
    if (sum) {
      sum.requests++;
      sum.inputTokens += r.inputTokens;
      sum.outputTokens += r.outputTokens;
      sum.computeMs += r.computeMs;
      sum.costNano += r.costNano;
      sum.creditsNano += r.creditsNano;
      sum.paygNano += r.paygNano;
    } else
      days.set(key, {
        accountId: r.accountId,
        day: isoDay(r.occurredAt),
        providerId: r.providerId,
        modelId: r.modelId,
        mode: r.mode,
        userId: r.userId,
        requests: 1,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        computeMs: r.computeMs,
        costNano: r.costNano,
        creditsNano: r.creditsNano,
        paygNano: r.paygNano,
      });
  }
  return [...days.values()];
}
