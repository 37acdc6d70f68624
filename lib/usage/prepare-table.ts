import type { BreakdownRowWire } from "./wire";

/** One line of a breakdown table, routed and custom-key side by side, amounts exact. */
export interface TableRow {
  key: string;
  label: string;
  routedRequests: number;
  customKeyRequests: number;
  inputTokens: bigint;
  outputTokens: bigint;
  computeMs: bigint;
  /** Billed by the platform (credits + pay-as-you-go). */
  routedCostNano: bigint;
  /** At list price; billed by the provider, not by us. */
  customKeyCostNano: bigint;
  totalCostNano: bigint;
}

export type SortColumn = Exclude<keyof TableRow, "key">;
export interface Sort {
  column: SortColumn;
  direction: "asc" | "desc";
}

export const DEFAULT_SORT: Sort = { column: "totalCostNano", direction: "desc" };

export function tableRow(row: BreakdownRowWire): TableRow {
  const routedCostNano = BigInt(row.routed.costNano);
  const customKeyCostNano = BigInt(row.customKey.costNano);
  return {
    key: row.key,
    label: row.label,
    routedRequests: row.routed.requests,
    customKeyRequests: row.customKey.requests,
    inputTokens: BigInt(row.routed.inputTokens) + BigInt(row.customKey.inputTokens),
    outputTokens: BigInt(row.routed.outputTokens) + BigInt(row.customKey.outputTokens),
    computeMs: BigInt(row.routed.computeMs) + BigInt(row.customKey.computeMs),
    routedCostNano,
    customKeyCostNano,
    totalCostNano: routedCostNano + customKeyCostNano,
  };
}

function compare(a: TableRow, b: TableRow, column: SortColumn): number {
  const x = a[column];
  const y = b[column];
  if (typeof x === "string" && typeof y === "string") return x.localeCompare(y);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The table for API rows, sorted (ties broken by name so the order is stable), and its total
 * line, summed from the rows themselves: the footer always equals what is listed above it.
 */
export function prepareTable(rows: BreakdownRowWire[], sort: Sort = DEFAULT_SORT) {
  const lines = rows.map(tableRow);
  const sign = sort.direction === "asc" ? 1 : -1;
  lines.sort((a, b) => sign * compare(a, b, sort.column) || a.label.localeCompare(b.label));
  const total: TableRow = {
    key: "total",
    label: "Total",
    routedRequests: 0,
    customKeyRequests: 0,
    inputTokens: 0n,
    outputTokens: 0n,
    computeMs: 0n,
    routedCostNano: 0n,
    customKeyCostNano: 0n,
    totalCostNano: 0n,
  };
  for (const l of lines) {
    total.routedRequests += l.routedRequests;
    total.customKeyRequests += l.customKeyRequests;
    total.inputTokens += l.inputTokens;
    total.outputTokens += l.outputTokens;
    total.computeMs += l.computeMs;
    total.routedCostNano += l.routedCostNano;
    total.customKeyCostNano += l.customKeyCostNano;
    total.totalCostNano += l.totalCostNano;
  }
  return { rows: lines, total };
}

/** The next sort when a column header is activated: a new column starts descending (names ascending). */
export function toggleSort(current: Sort, column: SortColumn): Sort {
  if (current.column === column) return { column, direction: current.direction === "asc" ? "desc" : "asc" };
  return { column, direction: column === "label" ? "asc" : "desc" };
}
