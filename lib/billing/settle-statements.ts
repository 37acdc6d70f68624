import type pg from "pg";
import { sql } from "@/lib/db/sql";
import { conflict } from "@/lib/http/errors";
import { NANO_PER_CENT } from "@/lib/money/units";
import { periodStart } from "./period";
import { thresholdChargesDue } from "./threshold";
import type { UsageInput } from "./settle";

// The SQL of a settlement (lib/billing/settle.ts): two statements inside its transaction.

export type Amounts = { costNano: bigint; creditsNano: bigint; paygNano: bigint };
export type Row = UsageInput & Amounts & { hardware: string | null };

export interface PeriodRow {
  accountId: string;
  period: Date;
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
  thresholdChargedNano: bigint;
  thresholdCents: number;
  payAsYouGo: boolean;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
export const periodKey = (accountId: string, period: Date) => `${accountId}|${day(period)}`;

/**
 * One statement before allocating: create the month rows the batch touches (with the month's
 * included credits: plan terms in force on the 1st, times seats for org plans) and lock them in
 * key order, so concurrent batches never deadlock (an upsert locks the row it finds); release
 * the holds placed for these requests; and find the requests already stored. Amounts travel as
 * text inside JSON, so no BigInt ever passes through a float.
 */
export async function prepare(client: pg.PoolClient, events: UsageInput[]) {
  const wanted = new Map<string, { accountId: string; period: Date }>();
  for (const e of events) {
    const period = periodStart(e.occurredAt);
    wanted.set(periodKey(e.accountId, period), { accountId: e.accountId, period });
  }
  const keys = [...wanted.keys()].sort();
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
      charged: string;
      threshold: number;
      paygAllowed: boolean;
    }[];
    holds: { id: string; a: string; p: string; amount: string }[];
    existing: { id: string; cost: string; credits: string; payg: string }[];
  }>(sql`
    WITH locked AS (
      INSERT INTO account_periods AS ap (account_id, period, credits_included_nano)
      SELECT w.account_id, w.period, t.monthly_credits_nano * CASE WHEN t.per_seat THEN a.seats ELSE 1 END
      FROM unnest(${keys.map((k) => wanted.get(k)!.accountId)}::uuid[], ${keys.map((k) => day(wanted.get(k)!.period))}::date[])
        WITH ORDINALITY AS w(account_id, period, n)
      JOIN billing_accounts a ON a.id = w.account_id
      JOIN LATERAL (SELECT * FROM plan_prices pp WHERE pp.plan = a.plan AND pp.effective_from <= w.period
                    ORDER BY pp.effective_from DESC LIMIT 1) t ON true
      ORDER BY w.n
      ON CONFLICT (account_id, period) DO UPDATE SET updated_at = ap.updated_at
      RETURNING ap.*
    ), gone AS (
      DELETE FROM reservations WHERE request_id = ANY(${ids}::text[]) RETURNING request_id, account_id, period, amount_nano
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
         'a', l.account_id, 'p', l.period, 'included', l.credits_included_nano::text, 'used', l.credits_used_nano::text,
         'payg', l.payg_nano::text, 'charged', l.threshold_charged_nano::text, 'threshold', a.threshold_cents,
         'paygAllowed', (SELECT pay_as_you_go FROM plan_prices pp WHERE pp.plan = a.plan AND pp.effective_from <= l.period
                         ORDER BY pp.effective_from DESC LIMIT 1))), '[]')
       FROM locked l JOIN billing_accounts a ON a.id = l.account_id) AS periods,
      (SELECT coalesce(json_agg(json_build_object('id', request_id, 'a', account_id, 'p', period, 'amount', amount_nano::text)), '[]')
       FROM gone) AS holds,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'cost', cost_nano::text, 'credits', credits_nano::text, 'payg', payg_nano::text)), '[]')
       FROM usage_events WHERE id = ANY(${ids}::text[])) AS existing`);

  const periods = new Map<string, PeriodRow>();
  for (const r of found!.periods) {
    const period = new Date(`${r.p}T00:00:00Z`);
    periods.set(periodKey(r.a, period), {
      accountId: r.a,
      period,
      creditsIncludedNano: BigInt(r.included),
      creditsUsedNano: BigInt(r.used),
      paygNano: BigInt(r.payg),
      thresholdChargedNano: BigInt(r.charged),
      thresholdCents: r.threshold,
      payAsYouGo: r.paygAllowed,
    });
  }
  for (const [key, w] of wanted) {
    if (!periods.has(key))
      throw new Error(`No plan terms in force for account ${w.accountId} on ${day(w.period)}.`);
  }
  const holds = new Map<string, bigint>();
  const released = new Map<string, bigint>();
  for (const h of found!.holds) {
    const amount = BigInt(h.amount);
    holds.set(h.id, amount);
    const key = periodKey(h.a, new Date(`${h.p}T00:00:00Z`));
    released.set(key, (released.get(key) ?? 0n) + amount);
  }
  const existing = new Map<string, Amounts>(
    found!.existing.map((e) => [
      e.id,
      { costNano: BigInt(e.cost), creditsNano: BigInt(e.credits), paygNano: BigInt(e.payg) },
    ]),
  );
  return { periods, holds, released, existing };
}

/**
 * Stores the events, adds them to the daily rollup, writes the months' counters and the
 * threshold charges that became due: one statement of data-modifying CTEs. Returns how many
 * threshold charges it created.
 */
export async function write(
  client: pg.PoolClient,
  rows: Row[],
  periods: Map<string, PeriodRow>,
  released: Map<string, bigint>,
): Promise<number> {
  const groups = rollupGroups(rows);
  const months = [...periods.entries()];
  const charges = months.map(([, p]) => {
    const due = thresholdChargesDue({
      paygNano: p.paygNano,
      chargedNano: p.thresholdChargedNano,
      thresholdCents: p.thresholdCents,
    });
    p.thresholdChargedNano += BigInt(due * p.thresholdCents) * NANO_PER_CENT;
    return due;
  });
  const {
    rows: [result],
  } = await client.query<{ inserted: string; charges: string }>(sql`
    WITH ins AS (
      INSERT INTO usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens,
                                compute_ms, hardware, cost_nano, credits_nano, payg_nano, occurred_at)
      SELECT * FROM unnest(
        ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.accountId)}::uuid[], ${rows.map((r) => r.userId)}::uuid[],
        ${rows.map((r) => r.providerId)}::text[], ${rows.map((r) => r.modelId)}::text[],
        ${rows.map((r) => r.mode)}::"BillingMode"[], ${rows.map((r) => r.inputTokens)}::int[],
        ${rows.map((r) => r.outputTokens)}::int[], ${rows.map((r) => r.computeMs)}::int[],
        ${rows.map((r) => r.hardware)}::text[], ${rows.map((r) => r.costNano)}::bigint[],
        ${rows.map((r) => r.creditsNano)}::bigint[], ${rows.map((r) => r.paygNano)}::bigint[],
        ${rows.map((r) => r.occurredAt)}::timestamptz[])
      ON CONFLICT (id) DO NOTHING
      RETURNING 1
    ), rollup AS (
      INSERT INTO usage_daily AS d (account_id, day, provider_id, model_id, mode, user_id, requests, input_tokens,
                                    output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
      SELECT * FROM unnest(
        ${groups.map((g) => g.accountId)}::uuid[], ${groups.map((g) => g.day)}::date[], ${groups.map((g) => g.providerId)}::text[],
        ${groups.map((g) => g.modelId)}::text[], ${groups.map((g) => g.mode)}::"BillingMode"[], ${groups.map((g) => g.userId)}::uuid[],
        ${groups.map((g) => g.requests)}::int[], ${groups.map((g) => g.inputTokens)}::bigint[], ${groups.map((g) => g.outputTokens)}::bigint[],
        ${groups.map((g) => g.computeMs)}::bigint[], ${groups.map((g) => g.costNano)}::bigint[], ${groups.map((g) => g.creditsNano)}::bigint[],
        ${groups.map((g) => g.paygNano)}::bigint[])
      ON CONFLICT (account_id, day, provider_id, model_id, mode, user_id) DO UPDATE SET
        requests = d.requests + EXCLUDED.requests,
        input_tokens = d.input_tokens + EXCLUDED.input_tokens,
        output_tokens = d.output_tokens + EXCLUDED.output_tokens,
        compute_ms = d.compute_ms + EXCLUDED.compute_ms,
        cost_nano = d.cost_nano + EXCLUDED.cost_nano,
        credits_nano = d.credits_nano + EXCLUDED.credits_nano,
        payg_nano = d.payg_nano + EXCLUDED.payg_nano
      RETURNING 1
    ), counters AS (
      UPDATE account_periods p SET
        credits_used_nano = v.credits, payg_nano = v.payg, threshold_charged_nano = v.charged,
        reserved_nano = GREATEST(0, p.reserved_nano - v.released), updated_at = now()
      FROM unnest(${months.map(([, p]) => p.accountId)}::uuid[], ${months.map(([, p]) => day(p.period))}::date[],
                  ${months.map(([, p]) => p.creditsUsedNano)}::bigint[], ${months.map(([, p]) => p.paygNano)}::bigint[],
                  ${months.map(([, p]) => p.thresholdChargedNano)}::bigint[], ${months.map(([k]) => released.get(k) ?? 0n)}::bigint[])
        AS v(account_id, period, credits, payg, charged, released)
      WHERE p.account_id = v.account_id AND p.period = v.period
      RETURNING 1
    ), charges AS (
      -- seq makes each charge exactly-once: (account, month, seq) is unique.
      INSERT INTO threshold_charges (account_id, period, seq, amount_cents)
      SELECT v.account_id, v.period,
             coalesce((SELECT max(t.seq) FROM threshold_charges t WHERE t.account_id = v.account_id AND t.period = v.period), 0) + g,
             v.amount
      FROM unnest(${months.map(([, p]) => p.accountId)}::uuid[], ${months.map(([, p]) => day(p.period))}::date[],
                  ${charges}::int[], ${months.map(([, p]) => p.thresholdCents)}::int[]) AS v(account_id, period, n, amount)
      CROSS JOIN LATERAL generate_series(1, v.n) AS g
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT count(*) FROM charges) AS charges,
           (SELECT count(*) FROM rollup) + (SELECT count(*) FROM counters) AS written`);
  if (Number(result!.inserted) !== rows.length) {
    // An id taken by another account's request in a concurrent batch: nothing is written; retrying resolves it.
    throw conflict(
      "usage_id_conflict",
      "Some request ids were recorded concurrently for another account. Retry the batch.",
    );
  }
  return Number(result!.charges);
}

/** The batch summed per rollup row, in key order (so concurrent batches lock rollup rows in the same order). */
function rollupGroups(rows: Row[]) {
  const groups = new Map<
    string,
    {
      accountId: string;
      day: string;
      providerId: string;
      modelId: string;
      mode: string;
      userId: string;
      requests: number;
      inputTokens: bigint;
      outputTokens: bigint;
      computeMs: bigint;
    } & Amounts
  >();
  for (const r of rows) {
    const d = day(r.occurredAt);
    const key = [r.accountId, d, r.providerId, r.modelId, r.mode, r.userId].join("|");
    const g = groups.get(key) ?? {
      accountId: r.accountId,
      day: d,
      providerId: r.providerId,
      modelId: r.modelId,
      mode: r.mode,
      userId: r.userId,
      requests: 0,
      inputTokens: 0n,
      outputTokens: 0n,
      computeMs: 0n,
      costNano: 0n,
      creditsNano: 0n,
      paygNano: 0n,
    };
    g.requests += 1;
    g.inputTokens += BigInt(r.inputTokens);
    g.outputTokens += BigInt(r.outputTokens);
    g.computeMs += BigInt(r.computeMs);
    g.costNano += r.costNano;
    g.creditsNano += r.creditsNano;
    g.paygNano += r.paygNano;
    groups.set(key, g);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => g);
}
