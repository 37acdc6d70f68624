import type { Db, DbTx } from "@/lib/db/prisma";
import { AppError, conflict } from "@/lib/http/errors";
import { NANO_PER_CENT } from "@/lib/money/units";
import { loadPriceBook, type PriceBook } from "@/lib/pricing/price-book";
import { allocateCost } from "./credits";
import { periodStart } from "./period";
import { thresholdChargesDue } from "./threshold";

export interface UsageInput {
  /** The request id: settling the same id twice counts it once, forever. */
  id: string;
  accountId: string;
  /** Who made the request (the member, for org accounts). */
  userId: string;
  providerId: string;
  modelId: string;
  mode: "routed" | "custom_key";
  inputTokens: number;
  outputTokens: number;
  computeMs: number;
  occurredAt: Date;
}

type Amounts = { costNano: bigint; creditsNano: bigint; paygNano: bigint };
export type SettleResult =
  | ({ id: string; status: "recorded" | "duplicate" } & Amounts)
  | { id: string; status: "refused"; code: "credits_exhausted" | "provider_not_integrated"; message: string };

const day = (d: Date) => d.toISOString().slice(0, 10);
const periodKey = (accountId: string, period: Date) => `${accountId}|${day(period)}`;

export const refusalMessages = {
  credits_exhausted: (resetsOn: string) =>
    `Your monthly credits are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on ${resetsOn}.`,
  provider_not_integrated: (provider: string) =>
    `${provider} cannot be billed through the platform. Add your own ${provider} key in your inference provider settings to use it.`,
};

interface PeriodRow {
  accountId: string;
  period: Date;
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
  thresholdChargedNano: bigint;
  thresholdCents: number;
  payAsYouGo: boolean;
}

/**
 * Settles a batch of requests in one transaction, set-based so a batch of 1,000 costs a handful
 * of statements: rate each at the price in force when it ran; lock the months it touches (in a
 * fixed order, so concurrent batches never deadlock); release the holds placed for them; apply
 * credits, then pay-as-you-go, or refuse (Free credits used up, provider not billable); store
 * the events (an id already stored is a duplicate, never counted again); add them to the daily
 * rollup; update the month counters; and create the threshold charges that became due.
 * A request settled against a hold is never billed more than the hold.
 */
export async function settleUsage(
  db: Db,
  events: UsageInput[],
  /** The catalog slice, when the caller already loaded it (to price the hold, or to validate). */
  preloaded?: PriceBook,
): Promise<{ results: SettleResult[]; thresholdChargesCreated: number }> {
  if (events.length === 0) return { results: [], thresholdChargesCreated: 0 };
  const book = preloaded ?? (await loadPriceBook(db, events));
  const costs = new Map<string, bigint>();
  for (const e of events) {
    const cost = book.rate({ ...e, at: e.occurredAt });
    if (cost === null) {
      throw new AppError(
        404,
        "price_not_found",
        `No price for ${e.modelId} on ${e.providerId} was in force at ${e.occurredAt.toISOString()}.`,
        {
          id: e.id,
          provider: e.providerId,
          model: e.modelId,
        },
      );
    }
    costs.set(e.id, cost);
  }

  // A request id stored by a concurrent transaction after this one's snapshot makes the insert
  // fall short (usage_id_conflict); nothing was written, and the retry sees it as a duplicate.
  for (let attempt = 1; ; attempt++) {
    try {
      return await settleOnce(db, events, book, costs);
    } catch (e) {
      if (!(e instanceof AppError && e.code === "usage_id_conflict") || attempt === 3) throw e;
    }
  }
}

function settleOnce(db: Db, events: UsageInput[], book: PriceBook, costs: Map<string, bigint>) {
  return db.$transaction(
    async (tx) => {
      const { periods, holds, released, existing } = await prepare(tx, events);

      const results = new Map<string, SettleResult>();
      const rows: Row[] = [];
      // Credits go to requests in the order they ran.
      const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      for (const e of ordered) {
        if (results.has(e.id)) continue; // the same id twice in a batch counts once
        const stored = existing.get(e.id);
        if (stored) {
          results.set(e.id, { id: e.id, status: "duplicate", ...stored });
          continue;
        }
        const period = periods.get(periodKey(e.accountId, periodStart(e.occurredAt)))!;
        const hold = holds.get(e.id);
        const rated = costs.get(e.id)!;
        const costNano = hold !== undefined && rated > hold ? hold : rated;
        const allocation = allocateCost({
          costNano,
          mode: e.mode,
          billingIntegrated: book.served(e.providerId, e.modelId)!.billingIntegrated,
          creditsLeftNano: period.creditsIncludedNano - period.creditsUsedNano,
          payAsYouGo: period.payAsYouGo,
        });
        if (!allocation.ok) {
          const resetsOn = day(
            new Date(Date.UTC(period.period.getUTCFullYear(), period.period.getUTCMonth() + 1, 1)),
          );
          results.set(e.id, {
            id: e.id,
            status: "refused",
            code: allocation.code,
            message:
              allocation.code === "credits_exhausted"
                ? refusalMessages.credits_exhausted(resetsOn)
                : refusalMessages.provider_not_integrated(e.providerId),
          });
          continue;
        }
        period.creditsUsedNano += allocation.creditsNano;
        period.paygNano += allocation.paygNano;
        const amounts = { costNano, creditsNano: allocation.creditsNano, paygNano: allocation.paygNano };
        rows.push({ ...e, ...amounts, hardware: book.served(e.providerId, e.modelId)!.hardware });
        results.set(e.id, { id: e.id, status: "recorded", ...amounts });
      }

      const thresholdChargesCreated = await write(tx, rows, periods, released);
      return { results: events.map((e) => results.get(e.id)!), thresholdChargesCreated };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/**
 * One statement before allocating: create the month rows the batch touches (with the month's
 * included credits: plan terms in force on the 1st, times seats for org plans) and lock them in
 * key order, so concurrent batches never deadlock (an upsert locks the row it finds); release
 * the holds placed for these requests; and find the requests already stored. Amounts travel as
 * text inside JSON, so no BigInt ever passes through a float.
 */
async function prepare(tx: DbTx, events: UsageInput[]) {
  const wanted = new Map<string, { accountId: string; period: Date }>();
  for (const e of events) {
    const period = periodStart(e.occurredAt);
    wanted.set(periodKey(e.accountId, period), { accountId: e.accountId, period });
  }
  const keys = [...wanted.keys()].sort();
  const ids = [...new Set(events.map((e) => e.id))];
  const [found] = await tx.$queryRaw<
    {
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
    }[]
  >`
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
       FROM usage_events WHERE id = ANY(${ids}::text[])) AS existing`;

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

type Row = UsageInput & Amounts & { hardware: string | null };

/**
 * Stores the events, adds them to the daily rollup, writes the months' counters and the
 * threshold charges that became due: one statement of data-modifying CTEs. Returns how many
 * threshold charges it created.
 */
async function write(
  tx: DbTx,
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
  const [result] = await tx.$queryRaw<{ inserted: bigint; charges: bigint }[]>`
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
           (SELECT count(*) FROM rollup) + (SELECT count(*) FROM counters) AS written`;
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
