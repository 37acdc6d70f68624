import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import {
  addMetrics,
  byCostDescending,
  metricsFrom,
  zeroMetrics,
  type BreakdownRow,
  type Metrics,
} from "./breakdown";

/** The key of usage made without an access token (a signed-in page, an external router's events). */
export const NO_TOKEN_KEY = "none";

interface Row {
  tokenId: string | null;
  mode: "routed" | "custom_key";
  requests: string;
  inputTokens: string;
  outputTokens: string;
  computeMs: string;
  costNano: string;
  creditsNano: string;
  paygNano: string;
}

/**
 * A member's usage on an account in [from, to) (UTC days) by the access token that made it, or
 * every member's (userId null: an org's admins), each token by its name and last 4 only. The daily rollups carry no token, so this reads
 * the account's events in the range (their key leads with account and time). Totals are the
 * rows' sums; on the caller's own account they agree with every other view to the nano-dollar.
 */
export async function tokenBreakdown(
  db: Db,
  input: { accountId: string; userId: string | null; from: Date; to: Date },
): Promise<{ rows: BreakdownRow[]; total: BreakdownRow }> {
  const { rows } = await poolOf(db).query<Row>(sql`
    SELECT e.token_id::text AS "tokenId", e.mode::text AS mode, count(*)::text AS requests,
           sum(e.input_tokens)::text AS "inputTokens", sum(e.output_tokens)::text AS "outputTokens",
           sum(e.compute_ms)::text AS "computeMs", sum(e.cost_nano)::text AS "costNano",
           sum(e.credits_nano)::text AS "creditsNano", sum(e.payg_nano)::text AS "paygNano"
    FROM usage_events e
    WHERE e.account_id = ${input.accountId}::uuid AND (${input.userId}::uuid IS NULL OR e.user_id = ${input.userId}::uuid)
      AND e.occurred_at >= ${input.from}::timestamptz AND e.occurred_at < ${input.to}::timestamptz
    GROUP BY 1, 2`);
  const ids = [...new Set(rows.flatMap((r) => (r.tokenId ? [r.tokenId] : [])))];
  const tokens = await db.apiToken.findMany({
    where: { id: { in: ids }, ...(input.userId ? { userId: input.userId } : {}) },
    select: { id: true, name: true, last4: true },
  });
  const labels = new Map(tokens.map((t) => [t.id, `${t.name} (hf_…${t.last4})`]));
  const byKey = new Map<string, BreakdownRow>();
  const total: BreakdownRow = {
    key: "total",
    label: "Total",
    routed: zeroMetrics(),
    customKey: zeroMetrics(),
  };
  for (const r of rows) {
    // A token of someone else's cannot have made the caller's requests; shown without one if so.
    const key = r.tokenId && labels.has(r.tokenId) ? r.tokenId : NO_TOKEN_KEY;
    const row = byKey.get(key) ?? {
      key,
      label: labels.get(key) ?? "Without an access token",
      routed: zeroMetrics(),
      customKey: zeroMetrics(),
    };
    const m = metricsOf(r);
    addMetrics(r.mode === "routed" ? row.routed : row.customKey, m);
    addMetrics(r.mode === "routed" ? total.routed : total.customKey, m);
    byKey.set(key, row);
  }
  const list = [...byKey.values()].sort(byCostDescending);
  return { rows: list, total };
}

function metricsOf(r: Row): Metrics {
  return metricsFrom({
    requests: Number(r.requests),
    inputTokens: BigInt(r.inputTokens),
    outputTokens: BigInt(r.outputTokens),
    computeMs: BigInt(r.computeMs),
    costNano: BigInt(r.costNano),
    creditsNano: BigInt(r.creditsNano),
    paygNano: BigInt(r.paygNano),
  });
}
