import type { Db } from "@/lib/db/prisma";
import { poolOf } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/kernel/errors";
import { formatPeriod, nextPeriod } from "@/lib/kernel/period";

export interface Difference {
  accountId: string;
  /** "counters": the month's credits used / pay-as-you-go; "rollup": one daily rollup row. */
  kind: "counters" | "rollup";
  /** For rollups: day|provider|model|mode|user. */
  key: string;
  /** What the raw events add up to, and what is stored, as JSON-safe strings. */
  expected: Record<string, string>;
  stored: Record<string, string> | null;
}

/**
 * Recomputes a month's daily rollups and month counters from the raw usage events (the ledger)
 * and reports every difference; with `repair`, rewrites the rollups and counters that differ,
 * in one transaction with the month rows locked (so no settlement interleaves). Holds and
 * threshold charges are left alone: they are not derived from events.
 */
export async function reconcileMonth(db: Db, input: { period: Date; repair: boolean }) {
  const from = formatPeriod(input.period) + "-01";
  const to = formatPeriod(nextPeriod(input.period)) + "-01";
  const client = await poolOf(db).connect();
  try {
    // Past retention the raw events are gone: everything derived from them would look wrong,
    // and a repair would wipe the month. A month nothing was ever recorded in has nothing to check.
    const partition = `usage_events_${formatPeriod(input.period).replace("-", "_")}`;
    const [state] = (
      await client.query<{ kept: boolean; derived: boolean }>(sql`
        SELECT to_regclass(${partition}) IS NOT NULL AS kept,
               EXISTS (SELECT 1 FROM usage_daily WHERE day >= ${from}::date AND day < ${to}::date)
               OR EXISTS (SELECT 1 FROM account_periods WHERE period = ${from}::date
                          AND (credits_used_nano > 0 OR payg_nano > 0)) AS derived`)
    ).rows;
    if (!state!.kept && state!.derived) {
      throw new AppError(
        409,
        "raw_events_not_kept",
        `The raw usage events of ${formatPeriod(input.period)} are no longer kept (retention): there is nothing to reconcile against.`,
      );
    }
    await client.query("BEGIN");
    // Lock the month's counters first: settlements lock them before rollups too.
    await client.query(
      sql`SELECT 1 FROM account_periods WHERE period = ${from}::date ORDER BY account_id FOR UPDATE`,
    );
    const { rows } = await client.query<Difference>(sql`
      WITH events AS (
        SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, provider_id, model_id, mode, user_id,
               count(*)::int AS requests, sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
               sum(compute_ms)::bigint AS compute_ms, sum(cost_nano)::bigint AS cost_nano,
               sum(credits_nano)::bigint AS credits_nano, sum(payg_nano)::bigint AS payg_nano
        FROM usage_events WHERE occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz
        GROUP BY 1, 2, 3, 4, 5, 6
      ), rollups AS (
        SELECT * FROM usage_daily WHERE day >= ${from}::date AND day < ${to}::date
      ), rollup_diff AS (
        SELECT coalesce(e.account_id, r.account_id) AS "accountId", 'rollup' AS kind,
               concat_ws('|', coalesce(e.day, r.day), coalesce(e.provider_id, r.provider_id), coalesce(e.model_id, r.model_id),
                         coalesce(e.mode, r.mode), coalesce(e.user_id, r.user_id)) AS key,
               json_build_object('requests', coalesce(e.requests, 0)::text, 'inputTokens', coalesce(e.input_tokens, 0)::text,
                 'outputTokens', coalesce(e.output_tokens, 0)::text, 'computeMs', coalesce(e.compute_ms, 0)::text,
                 'costNano', coalesce(e.cost_nano, 0)::text, 'creditsNano', coalesce(e.credits_nano, 0)::text,
                 'paygNano', coalesce(e.payg_nano, 0)::text) AS expected,
               CASE WHEN r.account_id IS NULL THEN NULL ELSE json_build_object('requests', r.requests::text,
                 'inputTokens', r.input_tokens::text, 'outputTokens', r.output_tokens::text, 'computeMs', r.compute_ms::text,
                 'costNano', r.cost_nano::text, 'creditsNano', r.credits_nano::text, 'paygNano', r.payg_nano::text) END AS stored
        FROM events e FULL JOIN rollups r USING (account_id, day, provider_id, model_id, mode, user_id)
        WHERE (e.requests, e.input_tokens, e.output_tokens, e.compute_ms, e.cost_nano, e.credits_nano, e.payg_nano)
              IS DISTINCT FROM (r.requests, r.input_tokens, r.output_tokens, r.compute_ms, r.cost_nano, r.credits_nano, r.payg_nano)
      ), sums AS (
        SELECT account_id, sum(credits_nano)::bigint AS credits, sum(payg_nano)::bigint AS payg FROM events GROUP BY 1
      ), counter_diff AS (
        SELECT coalesce(s.account_id, p.account_id) AS "accountId", 'counters' AS kind, ${from} AS key,
               json_build_object('creditsUsedNano', coalesce(s.credits, 0)::text, 'paygNano', coalesce(s.payg, 0)::text) AS expected,
               CASE WHEN p.account_id IS NULL THEN NULL
                    ELSE json_build_object('creditsUsedNano', p.credits_used_nano::text, 'paygNano', p.payg_nano::text) END AS stored
        FROM sums s FULL JOIN (SELECT * FROM account_periods WHERE period = ${from}::date) p USING (account_id)
        WHERE (coalesce(s.credits, 0), coalesce(s.payg, 0)) IS DISTINCT FROM (p.credits_used_nano, p.payg_nano)
      )
      SELECT * FROM counter_diff UNION ALL SELECT * FROM rollup_diff ORDER BY "accountId", kind, key`);

    if (input.repair && rows.length > 0) {
      await client.query(sql`
        DELETE FROM usage_daily WHERE day >= ${from}::date AND day < ${to}::date`);
      await client.query(sql`
        INSERT INTO usage_daily (account_id, day, provider_id, model_id, mode, user_id, requests, input_tokens,
                                 output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
        SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date, provider_id, model_id, mode, user_id, count(*),
               sum(input_tokens), sum(output_tokens), sum(compute_ms), sum(cost_nano), sum(credits_nano), sum(payg_nano)
        FROM usage_events WHERE occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz
        GROUP BY 1, 2, 3, 4, 5, 6`);
      await client.query(sql`
        UPDATE account_periods p SET credits_used_nano = coalesce(s.credits, 0), payg_nano = coalesce(s.payg, 0), updated_at = now()
        FROM account_periods p2
        LEFT JOIN (SELECT account_id, sum(credits_nano) AS credits, sum(payg_nano) AS payg FROM usage_events
                   WHERE occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz GROUP BY 1) s
          ON s.account_id = p2.account_id
        WHERE p.account_id = p2.account_id AND p.period = p2.period AND p2.period = ${from}::date
          AND (p.credits_used_nano, p.payg_nano) IS DISTINCT FROM (coalesce(s.credits, 0), coalesce(s.payg, 0))`);
    }
    await client.query("COMMIT");
    return {
      month: formatPeriod(input.period),
      differences: rows,
      repaired: input.repair && rows.length > 0,
    };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
