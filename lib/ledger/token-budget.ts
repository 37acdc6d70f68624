import { poolOf, type Commit, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/kernel/errors";
import { ALL_TIME, tokenWindow, type LimitReset, type TokenWindow } from "@/lib/auth/token-window";
import { tokenAllowsInferenceSql } from "@/lib/auth/token-scope-sql";
import { formatCents } from "@/lib/money/format";
import { NANO_PER_CENT, roundNanoToCents } from "@/lib/money/units";

/** A hold on an access token's limit: placed before the account's hold of the same request. */
export interface TokenHoldRequest {
  tokenHash: string;
  /** X-HF-Bill-To: a token that may not make the request holds nothing (the admission refuses it). */
  billTo: string | null;
  /** The request id, which the account's hold and the usage event carry too. */
  requestId: string;
  amountNano: bigint;
  /** The billing clock when the request started: its window is the one it counts in. */
  now: Date;
  expiresAt: Date;
}

interface AttemptRow {
  tokenId: string;
  limitCents: number;
  limitReset: LimitReset;
  windowStart: Date;
  held: boolean;
  hasWindow: boolean;
}

/** Only a token the admission would let through holds: its refusal (expired, scope) comes first. */
const tokenAllows = tokenAllowsInferenceSql({
  expiresAt: "expires_at",
  permissions: "permissions",
  billToAny: "bill_to_any",
  billToOrgs: "bill_to_orgs",
  billTo: "req.bill_to",
  now: "now()",
});

/** The window starts a token's limit can be in at `now`, as the statement picks them by reset. */
function windowStarts(now: Date) {
  return {
    daily: tokenWindow("daily", now).start,
    weekly: tokenWindow("weekly", now).start,
    monthly: tokenWindow("monthly", now).start,
  };
}

/**
 * Holds a request's upper bound on its access token's limit, in ONE conditional UPDATE of the
 * token's window row (as reserve() does on the account's month): it succeeds only if the window
 * can absorb the hold on top of what is spent and already held there, so concurrent requests
 * serialize on that row and the limit holds however many run at once. The hold records its
 * window, so a request in flight across a reset counts once, in the window it started in.
 * Returns whether the token has a limit (false: nothing held, nothing to settle); throws 402
 * token_limit_reached when the hold does not fit. A revoked or unknown token holds nothing here:
 * the admission refuses it.
 */
export async function holdTokenBudget(db: Db, input: TokenHoldRequest, commit?: Commit): Promise<boolean> {
  const pool = poolOf(db, commit);
  const starts = windowStarts(input.now);
  const attempt = async () =>
    (
      await pool.query<AttemptRow>(sql`
    WITH req AS (SELECT ${input.billTo}::text AS bill_to), t AS (
      SELECT id, limit_cents, limit_reset,
             CASE limit_reset WHEN 'daily' THEN ${starts.daily}::timestamptz WHEN 'weekly' THEN ${starts.weekly}::timestamptz
                              WHEN 'monthly' THEN ${starts.monthly}::timestamptz ELSE ${ALL_TIME}::timestamptz END AS window_start
      FROM api_tokens, req
      WHERE token_hash = ${input.tokenHash} AND revoked_at IS NULL
        AND kind = 'user' AND limit_cents IS NOT NULL AND ${tokenAllows}
    ), held AS (
      UPDATE token_windows w SET reserved_nano = w.reserved_nano + ${input.amountNano}::bigint, updated_at = now()
      FROM t
      WHERE w.token_id = t.id AND w.window_start = t.window_start
        AND w.spent_nano + w.reserved_nano + ${input.amountNano}::bigint <= t.limit_cents::bigint * ${NANO_PER_CENT}
      RETURNING w.token_id, w.window_start
    ), hold AS (
      INSERT INTO token_holds (request_id, token_id, window_start, amount_nano, expires_at)
      SELECT ${input.requestId}, token_id, window_start, ${input.amountNano}::bigint, ${input.expiresAt}::timestamptz FROM held
      RETURNING 1
    )
    SELECT t.id AS "tokenId", t.limit_cents AS "limitCents", t.limit_reset AS "limitReset", t.window_start AS "windowStart",
           EXISTS (SELECT 1 FROM hold) AS held,
           EXISTS (SELECT 1 FROM token_windows w WHERE w.token_id = t.id AND w.window_start = t.window_start) AS "hasWindow"
    FROM t`)
    ).rows[0];

  let row = await attempt();
  if (!row) return false;
  if (!row.held && !row.hasWindow) {
    // The window's first request (here or in a concurrent one): create its row, counting what
    // the token already spent in it (a limit set, or changed, mid-window), then try once more.
    await openWindow(db, row.tokenId, tokenWindow(row.limitReset, row.windowStart), commit);
    row = await attempt();
    if (!row) return false;
  }
  if (row.held) return true;
  throw await tokenLimitRefusal(db, row);
}

/** Creates a token's window row, its spend so far read from the ledger (usage_events). */
async function openWindow(db: Db, tokenId: string, window: TokenWindow, commit?: Commit) {
  await poolOf(db, commit).query(sql`
    INSERT INTO token_windows (token_id, window_start, spent_nano)
    SELECT ${tokenId}::uuid, ${window.start}::timestamptz,
           coalesce((SELECT sum(e.credits_nano + e.payg_nano) FROM usage_events e
                     WHERE e.token_id = ${tokenId}::uuid AND e.occurred_at >= ${window.start}::timestamptz
                       AND (${window.resetsAt}::timestamptz IS NULL OR e.occurred_at < ${window.resetsAt}::timestamptz)
                       AND e.mode = 'routed'), 0)
    ON CONFLICT (token_id, window_start) DO NOTHING`);
}

/** What a token's limit stands at in a window: its spend and its holds in flight. */
export interface TokenLimitDetails {
  limit: "token_limit";
  limitCents: number;
  limitReset: LimitReset;
  spentCents: number;
  reservedCents: number;
  windowStart: string;
  /** When the window starts again; null for a limit that never resets. */
  resetsAt: string | null;
}

async function tokenLimitRefusal(db: Db, row: AttemptRow): Promise<AppError> {
  const counters = await db.tokenWindow.findUnique({
    where: { tokenId_windowStart: { tokenId: row.tokenId, windowStart: row.windowStart } },
  });
  const resetsAt = tokenWindow(row.limitReset, row.windowStart).resetsAt;
  const details: TokenLimitDetails = {
    limit: "token_limit",
    limitCents: row.limitCents,
    limitReset: row.limitReset,
    spentCents: Number(roundNanoToCents(counters?.spentNano ?? 0n)),
    reservedCents: Number(roundNanoToCents(counters?.reservedNano ?? 0n)),
    windowStart: row.windowStart.toISOString(),
    resetsAt: resetsAt?.toISOString() ?? null,
  };
  return new AppError(402, "token_limit_reached", tokenLimitMessage(details), { ...details });
}

export const tokenLimitMessage = (d: TokenLimitDetails) =>
  `This access token has reached its ${d.limitReset === "never" ? "" : `${d.limitReset} `}spending limit of ${formatCents(d.limitCents)} (${formatCents(d.spentCents)} spent, ${formatCents(d.reservedCents)} held by requests in flight). ${d.resetsAt ? `It resets at ${d.resetsAt}; or raise` : "Raise"} the limit at /settings/tokens.`;

/**
 * Settles a request's token hold: what it was billed counts as the window's spend (in the
 * window the hold was placed in), and the hold goes back. A no-op for a request without one.
 */
export async function settleTokenHold(
  db: Db,
  input: { requestId: string; billedNano: bigint },
  commit?: Commit,
): Promise<void> {
  await poolOf(db, commit).query(sql`
    WITH gone AS (
      DELETE FROM token_holds WHERE request_id = ${input.requestId} RETURNING token_id, window_start, amount_nano
    )
    UPDATE token_windows w SET reserved_nano = GREATEST(0, w.reserved_nano - gone.amount_nano),
                               spent_nano = w.spent_nano + ${input.billedNano}::bigint, updated_at = now()
    FROM gone WHERE w.token_id = gone.token_id AND w.window_start = gone.window_start`);
}

/** Gives a request's token hold back without spending it (refused, failed, or admitted again). */
export async function releaseTokenHold(db: Db, requestId: string): Promise<void> {
  await settleTokenHold(db, { requestId, billedNano: 0n });
}

/**
 * Releases token holds never settled, as sweepExpiredReservations does. A hold whose request was
 * billed (its usage event is there: the process died between the two settlements) counts what
 * it was billed in its window, so a crash never loses a token's spend.
 */
export async function sweepExpiredTokenHolds(db: Db, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<{ swept: bigint }[]>`
    WITH gone AS (
      DELETE FROM token_holds WHERE expires_at < ${now} RETURNING request_id, token_id, window_start, amount_nano
    ), billed AS (
      SELECT g.token_id, g.window_start, g.amount_nano, coalesce(e.credits_nano + e.payg_nano, 0) AS billed
      FROM gone g
      LEFT JOIN usage_event_ids i ON i.id = g.request_id
      LEFT JOIN usage_events e ON e.account_id = i.account_id AND e.occurred_at = i.occurred_at AND e.id = i.id
    ), sums AS (
      SELECT token_id, window_start, sum(amount_nano)::bigint AS amount, sum(billed)::bigint AS billed, count(*) AS n
      FROM billed GROUP BY 1, 2
    ), released AS (
      UPDATE token_windows w SET reserved_nano = GREATEST(0, w.reserved_nano - sums.amount),
                                 spent_nano = w.spent_nano + sums.billed, updated_at = now()
      FROM sums WHERE w.token_id = sums.token_id AND w.window_start = sums.window_start
      RETURNING sums.n
    )
    SELECT coalesce(sum(n), 0)::bigint AS swept FROM released`;
  return Number(row?.swept ?? 0n);
}
