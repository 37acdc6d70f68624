import type { TableRow } from "./prepare-table";
import { csvCell } from "@/lib/kernel/csv";

/** An exact decimal string of units / 10^scale ("0.000123456"), no float in between. */
export function exactDecimal(units: bigint, scale: number): string {
  const sign = units < 0n ? "-" : "";
  const abs = units < 0n ? -units : units;
  const base = 10n ** BigInt(scale);
  const fraction = (abs % base).toString().padStart(scale, "0").replace(/0+$/, "");
  return `${sign}${abs / base}${fraction ? `.${fraction}` : ""}`;
}

export const CSV_HEADER = [
  "name",
  "routed_requests",
  "custom_key_requests",
  "input_tokens",
  "output_tokens",
  "compute_seconds",
  "routed_cost_usd",
  "custom_key_cost_usd",
  "total_cost_usd",
];

/**
 * The table as shown (same rows, same order) as CSV, with a final "Total" line. Dollar amounts
 * are exact to the nano-dollar, so the rows add up to the total exactly in any spreadsheet.
 */
export function usageCsv(dimension: string, rows: TableRow[], total: TableRow): string {
  const line = (r: TableRow) =>
    [
      r.label,
      String(r.routedRequests),
      String(r.customKeyRequests),
      r.inputTokens.toString(),
      r.outputTokens.toString(),
      exactDecimal(r.computeMs, 3),
      exactDecimal(r.routedCostNano, 9),
      exactDecimal(r.customKeyCostNano, 9),
      exactDecimal(r.totalCostNano, 9),
    ]
      .map(csvCell)
      .join(",");
  const header = [dimension, ...CSV_HEADER.slice(1)].map(csvCell).join(",");
  return [header, ...rows.map(line), line(total)].join("\r\n") + "\r\n";
}
