"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { OTHER_SERIES, type DailyChart } from "@/lib/usage/prepare-chart";
import { formatDay, formatUsd } from "./format";

const COLORS = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#db2777", "#0891b2"];
const OTHER_COLOR = "#6b7280";
const PROJECTED_COLOR = "#dc2626";
const PROJECTED = "projected";

interface Point {
  day: string;
  [series: string]: number | string | null;
}

/**
 * Cost per UTC day, stacked by model (the prepare function chose the series), with the month's
 * projected routed spend as a dashed line when the prepare functions added one. Renders only.
 */
export function DailyCostChart({
  chart,
  locale,
  caption,
}: {
  chart: DailyChart;
  locale: string;
  caption: string;
}) {
  // Series keys are model ids ("org/model-3.1"): recharts would read dots as paths, so index them.
  const ids = chart.series.map((_, i) => `s${i}`);
  const data: Point[] = chart.days.map((d) => ({
    day: d.day,
    ...Object.fromEntries(chart.series.map((s, i) => [ids[i]!, d.values[s.key] ?? 0])),
    // null leaves a gap: the line is drawn only from today on.
    [PROJECTED]: d.projected?.value ?? null,
  }));
  const projection = chart.projection;
  const exactByDay = new Map(chart.days.map((d) => [d.day, d]));
  return (
    <figure className="text-gray-600 dark:text-gray-300" data-testid="daily-chart">
      <div
        role="img"
        aria-label={`${caption}. Total ${formatUsd(chart.totalNano, locale)}.${
          projection
            ? ` Projected routed spend ${formatUsd(projection.ratePerDayNano, locale)} a day, ${formatUsd(projection.monthEndNano, locale)} by month end.`
            : ""
        }`}
        className="h-64 w-full"
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid
              strokeDasharray="3 3"
              stroke="currentColor"
              strokeOpacity={0.15}
              vertical={false}
            />
            <XAxis
              dataKey="day"
              tickFormatter={(day: string) => formatDay(day, locale)}
              tick={{ fill: "currentColor", fontSize: 12 }}
              stroke="currentColor"
              minTickGap={16}
            />
            <YAxis
              tick={{ fill: "currentColor", fontSize: 12 }}
              stroke="currentColor"
              width={64}
              tickFormatter={(v: number) =>
                new Intl.NumberFormat(locale, {
                  style: "currency",
                  currency: "USD",
                  maximumSignificantDigits: 3,
                }).format(v)
              }
            />
            <Tooltip
              cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
              content={({ active, label }) => {
                const day = active && typeof label === "string" ? exactByDay.get(label) : undefined;
                if (!day) return null;
                return (
                  <div className="rounded-md border border-gray-200 bg-white p-2 text-xs text-gray-900 shadow dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100">
                    <p className="font-medium">{formatDay(day.day, locale)} (UTC)</p>
                    {chart.series.map((s) => (
                      <p key={s.key}>
                        {s.label}: {formatUsd(day.exactNano[s.key] ?? "0", locale)}
                      </p>
                    ))}
                    <p className="mt-1 font-medium">Total: {formatUsd(day.totalNano, locale)}</p>
                    {day.projected ? (
                      <p className="mt-1">
                        Projected routed spend: {formatUsd(day.projected.nano, locale)} (month to date{" "}
                        {formatUsd(day.projected.monthToDateNano, locale)})
                      </p>
                    ) : null}
                  </div>
                );
              }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {chart.series.map((s, i) => (
              <Bar
                key={s.key}
                dataKey={ids[i]!}
                name={s.label}
                stackId="cost"
                fill={s.key === OTHER_SERIES ? OTHER_COLOR : COLORS[i % COLORS.length]}
                isAnimationActive={false}
              />
            ))}
            {projection ? (
              <Line
                dataKey={PROJECTED}
                name="Projected routed spend (current rate)"
                stroke={PROJECTED_COLOR}
                strokeWidth={2}
                strokeDasharray="6 4"
                dot={false}
                isAnimationActive={false}
              />
            ) : null}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs">
        {caption}. Days are UTC calendar days, as billing counts them.
        {projection ? (
          <span data-testid="chart-projection" data-month-end-nano={projection.monthEndNano}>
            {" "}
            Dashed line: routed spend projected at the current rate (
            {formatUsd(projection.ratePerDayNano, locale)} a day) from {formatDay(projection.fromDay, locale)}{" "}
            to {formatDay(projection.throughDay, locale)}: {formatUsd(projection.monthEndNano, locale)} by
            month end.
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
