import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { listApiTokens, tokenDto, type TokenDto } from "@/lib/auth/tokens";
import { tokenWindow, type LimitReset, type TokenWindowSpend } from "@/lib/auth/token-window";
import { roundNanoToCents } from "@/lib/money/units";

/**
 * The current window of each limited token at `now` (the billing clock): its counters when a
 * request opened the window, else the spend the ledger holds for it (as token-budget's
 * openWindow would count it), and nothing held.
 */
export async function tokenWindowsAt(
  db: Db,
  tokens: readonly { id: string; limitReset: string | null }[],
  now: Date,
): Promise<Map<string, TokenWindowSpend>> {
  const limited = tokens.flatMap((t) =>
    t.limitReset ? [{ id: t.id, window: tokenWindow(t.limitReset as LimitReset, now) }] : [],
  );
  if (limited.length === 0) return new Map();
  const { rows } = await poolOf(db).query<{ id: string; spent: string; reserved: string }>(sql`
    SELECT q.id::text AS id,
           coalesce(w.spent_nano, (SELECT coalesce(sum(e.credits_nano + e.payg_nano), 0) FROM usage_events e
                                   WHERE e.token_id = q.id AND e.occurred_at >= q.start
                                     AND (q.until IS NULL OR e.occurred_at < q.until) AND e.mode = 'routed'))::text AS spent,
           coalesce(w.reserved_nano, 0)::text AS reserved
    FROM unnest(${limited.map((t) => t.id)}::uuid[], ${limited.map((t) => t.window.start)}::timestamptz[],
                ${limited.map((t) => t.window.resetsAt)}::timestamptz[]) AS q(id, start, until)
    LEFT JOIN token_windows w ON w.token_id = q.id AND w.window_start = q.start`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return new Map(
    limited.map(({ id, window }) => {
      const r = byId.get(id);
      const spent = BigInt(r?.spent ?? "0");
      return [
        id,
        {
          start: window.start.toISOString(),
          resetsAt: window.resetsAt?.toISOString() ?? null,
          spentNano: spent.toString(),
          spentCents: Number(roundNanoToCents(spent)),
          reservedCents: Number(roundNanoToCents(BigInt(r?.reserved ?? "0"))),
        },
      ];
    }),
  );
}

/** The user's active tokens as the API and the tokens page show them, each limit's window at `now`. */
export async function listTokensWithSpend(db: Db, userId: string, now: Date): Promise<TokenDto[]> {
  const tokens = await listApiTokens(db, userId);
  const windows = await tokenWindowsAt(db, tokens, now);
  return tokens.map((t) => tokenDto(t, windows.get(t.id) ?? null));
}
