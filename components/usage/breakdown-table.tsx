"use client";

import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  DEFAULT_SORT,
  prepareTable,
  toggleSort,
  type Sort,
  type SortColumn,
  type TableRow,
} from "@/lib/usage/prepare-table";
import { usageCsv } from "@/lib/usage/usage-csv";
import type { BreakdownRowWire } from "@/lib/usage/wire";
import { formatCount, formatSeconds, formatUsdFixed } from "./format";

interface Column {
  id: SortColumn;
  label: string;
  numeric: boolean;
  render: (r: TableRow, locale: string) => string;
}

const columns = (dimension: string): Column[] => [
  { id: "label", label: dimension, numeric: false, render: (r) => r.label },
  // Money first, so it stays in view on narrow screens; counts follow.
  {
    id: "routedCostNano",
    label: "Routed cost",
    numeric: true,
    render: (r, l) => formatUsdFixed(r.routedCostNano, l),
  },
  {
    id: "customKeyCostNano",
    label: "Custom-key cost*",
    numeric: true,
    render: (r, l) => formatUsdFixed(r.customKeyCostNano, l),
  },
  {
    id: "totalCostNano",
    label: "Total cost",
    numeric: true,
    render: (r, l) => formatUsdFixed(r.totalCostNano, l),
  },
  {
    id: "routedRequests",
    label: "Routed requests",
    numeric: true,
    render: (r, l) => formatCount(r.routedRequests, l),
  },
  {
    id: "customKeyRequests",
    label: "Custom-key requests",
    numeric: true,
    render: (r, l) => formatCount(r.customKeyRequests, l),
  },
  {
    id: "inputTokens",
    label: "Input tokens",
    numeric: true,
    render: (r, l) => formatCount(r.inputTokens, l),
  },
  {
    id: "outputTokens",
    label: "Output tokens",
    numeric: true,
    render: (r, l) => formatCount(r.outputTokens, l),
  },
  { id: "computeMs", label: "Compute (s)", numeric: true, render: (r, l) => formatSeconds(r.computeMs, l) },
];

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** A sortable breakdown table with its total line and a CSV export of exactly what it shows. */
export function BreakdownTable({
  dimension,
  rows,
  locale,
  csvName,
}: {
  /** "Model", "Provider", "Member". */
  dimension: string;
  rows: BreakdownRowWire[];
  locale: string;
  csvName: string;
}) {
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const table = useMemo(() => prepareTable(rows, sort), [rows, sort]);
  const cols = columns(dimension);
  const id = dimension.toLowerCase();

  return (
    <div data-testid={`usage-table-${id}`}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">By {id}</h3>
        <Button
          type="button"
          variant="secondary"
          onClick={() => download(csvName, usageCsv(id, table.rows, table.total))}
          disabled={table.rows.length === 0}
        >
          Export CSV<span className="sr-only"> of usage by {id}</span>
        </Button>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">Usage by {id}, sortable by any column</caption>
          <thead className="text-gray-600 dark:text-gray-400">
            <tr>
              {cols.map((c) => {
                const active = sort.column === c.id;
                return (
                  <th
                    key={c.id}
                    scope="col"
                    aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
                    className={`py-2 pr-3 font-medium whitespace-nowrap ${c.numeric ? "text-right" : "text-left"}`}
                  >
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 rounded hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
                      onClick={() => setSort((s) => toggleSort(s, c.id))}
                    >
                      {c.label}
                      <span aria-hidden="true" className="w-3">
                        {active ? (sort.direction === "asc" ? "▲" : "▼") : ""}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr
                key={r.key}
                className="border-t border-gray-200 dark:border-gray-800"
                data-testid="usage-row"
              >
                {cols.map((c) =>
                  c.id === "label" ? (
                    <th
                      key={c.id}
                      scope="row"
                      className="max-w-64 truncate py-2 pr-3 text-left font-normal"
                      title={r.label}
                    >
                      {r.label}
                    </th>
                  ) : (
                    <td key={c.id} className="py-2 pr-3 text-right tabular-nums whitespace-nowrap">
                      {c.render(r, locale)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr
              className="border-t-2 border-gray-300 font-semibold dark:border-gray-700"
              data-testid="usage-total"
            >
              {cols.map((c) =>
                c.id === "label" ? (
                  <th key={c.id} scope="row" className="py-2 pr-3 text-left">
                    Total
                  </th>
                ) : (
                  <td
                    key={c.id}
                    className="py-2 pr-3 text-right tabular-nums whitespace-nowrap"
                    data-column={c.id}
                  >
                    {c.render(table.total, locale)}
                  </td>
                ),
              )}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
