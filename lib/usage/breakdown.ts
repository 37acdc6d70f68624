import type { Db } from "@/lib/db/prisma";

export type GroupBy = "model" | "provider" | "member" | "day";

export interface Metrics {
  requests: number;
  inputTokens: bigint;
  outputTokens: bigint;
  computeMs: bigint;
  /** At list price; for custom-key usage, what it would have cost (billed by the provider). */
  costNano: bigint;
  /** What the platform billed: credits + pay-as-you-go (routed only). */
  billedNano: bigint;
  creditsNano: bigint;
  paygNano: bigint;
}

export interface BreakdownRow {
  key: string;
  label: string;
  routed: Metrics;
  customKey: Metrics;
  /** groupBy "day" only: the day's cost (routed + custom key) by model, for stacked charts. */
  models?: { key: string; label?: string; costNano: bigint }[];
}

/** Nothing yet: what a row's metrics start from. */
export const zeroMetrics = (): Metrics => ({
  requests: 0,
  inputTokens: 0n,
  outputTokens: 0n,
  computeMs: 0n,
  costNano: 0n,
  billedNano: 0n,
  creditsNano: 0n,
  paygNano: 0n,
});

/** The metrics of summed usage; what was billed is the credits used plus pay-as-you-go. */
export function metricsFrom(sums: Omit<Metrics, "billedNano">): Metrics {
  return { ...sums, billedNano: sums.creditsNano + sums.paygNano };
}

/** Rows by what they cost, routed and custom key together, the largest first. */
export const byCostDescending = (a: BreakdownRow, b: BreakdownRow) =>
  Number(b.routed.costNano + b.customKey.costNano - (a.routed.costNano + a.customKey.costNano));

export function addMetrics(into: Metrics, m: Metrics) {
  into.requests += m.requests;
  into.inputTokens += m.inputTokens;
  into.outputTokens += m.outputTokens;
  into.computeMs += m.computeMs;
  into.costNano += m.costNano;
  into.billedNano += m.billedNano;
  into.creditsNano += m.creditsNano;
  into.paygNano += m.paygNano;
}

/**
 * An account's usage in [from, to) (UTC days), grouped by model, provider, member or day,
 * routed and custom-key side by side, from the daily rollups only (never a scan of raw events).
 * The totals are the sums of the rows, exact to the nano-dollar.
 */
export async function usageBreakdown(
  db: Db,
  input: { accountId: string; from: Date; to: Date; groupBy: GroupBy },
) {
  const rows = await db.usageDaily.groupBy({
    by: [
      input.groupBy === "model"
        ? "modelId"
        : input.groupBy === "provider"
          ? "providerId"
          : input.groupBy === "member"
            ? "userId"
            : "day",
      "mode",
      // Days also split by model, so a chart can stack them: still only rollup rows.
      ...(input.groupBy === "day" ? (["modelId"] as const) : []),
    ],
    where: { accountId: input.accountId, day: { gte: input.from, lt: input.to } },
    _sum: {
      requests: true,
      inputTokens: true,
      outputTokens: true,
      computeMs: true,
      costNano: true,
      creditsNano: true,
      paygNano: true,
    },
  });
  const keyOf = (r: (typeof rows)[number]) =>
    input.groupBy === "model"
      ? (r as { modelId: string }).modelId
      : input.groupBy === "provider"
        ? (r as { providerId: string }).providerId
        : input.groupBy === "member"
          ? (r as { userId: string }).userId
          : (r as { day: Date }).day.toISOString().slice(0, 10);

  const byKey = new Map<string, BreakdownRow>();
  const total: BreakdownRow = {
    key: "total",
    label: "Total",
    routed: zeroMetrics(),
    customKey: zeroMetrics(),
  };
  for (const r of rows) {
    const key = keyOf(r);
    const row = byKey.get(key) ?? { key, label: key, routed: zeroMetrics(), customKey: zeroMetrics() };
    const m = metricsFrom({
      requests: r._sum.requests ?? 0,
      inputTokens: r._sum.inputTokens ?? 0n,
      outputTokens: r._sum.outputTokens ?? 0n,
      computeMs: r._sum.computeMs ?? 0n,
      costNano: r._sum.costNano ?? 0n,
      creditsNano: r._sum.creditsNano ?? 0n,
      paygNano: r._sum.paygNano ?? 0n,
    });
    addMetrics(r.mode === "routed" ? row.routed : row.customKey, m);
    addMetrics(r.mode === "routed" ? total.routed : total.customKey, m);
    if (input.groupBy === "day") addModelCost(row, (r as { modelId: string }).modelId, m.costNano);
    byKey.set(key, row);
  }
  const labels = await labelsFor(db, input.groupBy, [...byKey.keys()]);
  const list = [...byKey.values()].map((r) => ({ ...r, label: labels.get(r.key) ?? r.key }));
  if (input.groupBy === "day") {
    const modelLabels = await labelsFor(db, "model", [
      ...new Set(list.flatMap((r) => r.models!.map((m) => m.key))),
    ]);
    for (const r of list)
      r.models = r
        .models!.map((m) => ({ ...m, label: modelLabels.get(m.key) ?? m.key }))
        .sort((a, b) => a.key.localeCompare(b.key));
  }
  list.sort((a, b) => (input.groupBy === "day" ? a.key.localeCompare(b.key) : byCostDescending(a, b)));
  return { rows: list, total };
}

function addModelCost(row: BreakdownRow, modelId: string, costNano: bigint) {
  row.models ??= [];
  const part = row.models.find((m) => m.key === modelId);
  if (part) part.costNano += costNano;
  else row.models.push({ key: modelId, costNano });
}

async function labelsFor(db: Db, groupBy: GroupBy, keys: string[]): Promise<Map<string, string>> {
  if (groupBy === "model") {
    const models = await db.model.findMany({
      where: { id: { in: keys } },
      select: { id: true, displayName: true },
    });
    return new Map(models.map((m) => [m.id, m.displayName]));
  }
  if (groupBy === "provider") {
    const providers = await db.provider.findMany({
      where: { id: { in: keys } },
      select: { id: true, displayName: true },
    });
    return new Map(providers.map((p) => [p.id, p.displayName]));
  }
  if (groupBy === "member") {
    const users = await db.user.findMany({
      where: { id: { in: keys } },
      select: { id: true, name: true, email: true },
    });
    return new Map(users.map((u) => [u.id, `${u.name} <${u.email}>`]));
  }
  return new Map();
}
