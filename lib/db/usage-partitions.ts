import type pg from "pg";
import { nextPeriod, periodStart, previousPeriod } from "@/lib/kernel/period";

/** Months of partitions kept ready past the current one, so the request path never creates one. */
export const MONTHS_AHEAD = 3;

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Creates the usage_events partitions of the months containing `dates` that do not exist yet
 * (usage_events_ensure_month, in the migration: safe to run from many processes at once).
 */
export async function ensureUsagePartitions(db: pg.Pool | pg.ClientBase, dates: Date[]): Promise<void> {
  const months = [...new Set(dates.map((d) => day(periodStart(d))))].sort();
  if (months.length === 0) return;
  await db.query("SELECT usage_events_ensure_month(m) FROM unnest($1::date[]) AS m", [months]);
}

/** The months whose partitions are kept ready: the last one (late events), this one, MONTHS_AHEAD more. */
export function readyMonths(now: Date): Date[] {
  const months = [previousPeriod(periodStart(now)), periodStart(now)];
  while (months.length < MONTHS_AHEAD + 2) months.push(nextPeriod(months.at(-1)!));
  return months;
}

/** An insert whose occurred_at falls in a month that has no partition yet (SQLSTATE 23514). */
export function isMissingPartition(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return code === "23514" && typeof message === "string" && message.startsWith("no partition of relation");
}

/**
 * Drops the partitions of months before `horizon`, and forgets their ids: a month's raw events
 * go at once, in a transaction each. Rollups, counters and invoices stay (dashboards and
 * invoices never read raw events). Returns the months dropped, as "YYYY-MM".
 */
export async function dropUsagePartitionsBefore(pool: pg.Pool, horizon: Date): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'usage_events'::regclass AND c.relname ~ '^usage_events_\\d{4}_\\d{2}$'
     ORDER BY 1`,
  );
  const dropped: string[] = [];
  for (const { name } of rows) {
    const month = `${name.slice(-7, -3)}-${name.slice(-2)}`;
    const start = new Date(`${month}-01T00:00:00Z`);
    if (start >= horizon) continue;
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("DELETE FROM usage_event_ids WHERE occurred_at >= $1 AND occurred_at < $2", [
        start,
        nextPeriod(start),
      ]);
      await client.query(`DROP TABLE ${client.escapeIdentifier(name)}`);
      await client.query("COMMIT");
      dropped.push(month);
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  return dropped;
}
