import { z } from "zod";
import { forecastQuery, savingsQuery } from "@/lib/api/schemas";
import { defineContract, describes } from "@/lib/http/contract";
import type { ForecastWire } from "@/lib/usage/month-forecast";
import type { SavingsWire } from "@/lib/usage/savings";
import { isoDay, isoMonth, nanoString } from "./common";

const TAG = "Billing";

const runOut = z.discriminatedUnion("state", [
  z.object({ state: z.literal("reached") }),
  z.object({ state: z.literal("on"), day: isoDay }),
  z.object({ state: z.literal("not_this_month") }),
]);

const forecast = describes<ForecastWire>()(
  z.object({
    period: isoMonth,
    today: isoDay,
    monthEnd: isoDay,
    daysInMonth: z.number().int(),
    completeDays: z.number().int().meta({ description: "Full UTC days of the month before today." }),
    estimator: z.literal("mean_of_complete_days"),
    spentBeforeTodayNano: nanoString,
    todaySoFarNano: nanoString,
    spentSoFarNano: nanoString,
    ratePerDayNano: nanoString,
    todayProjectedNano: nanoString,
    projectedSpendNano: nanoString.meta({
      description: "Routed spend projected to the month's end at the current rate.",
    }),
    band: z
      .object({ lowNano: nanoString, highNano: nanoString })
      .nullable()
      .meta({ description: "± 2 standard deviations of the day-to-day variation; null before 2 full days." }),
    projectedPaygNano: nanoString,
    thresholdCents: z.number().int(),
    thresholdChargesAhead: z.number().int(),
    credits: runOut,
    limit: runOut.nullable(),
    spendingLimitCents: z.number().int().nullable(),
    payAsYouGo: z.boolean(),
  }),
);

export const getForecast = defineContract({
  method: "GET",
  path: "/api/billing/forecast",
  tag: TAG,
  summary: "This month's spend forecast",
  description:
    "Month-end routed spend at the current rate (the mean of the month's full UTC days), a band from day-to-day variation, the days credits and the spending limit would run out, and the threshold charges that implies. From the daily rollups and the month counters. The caller's own, or an organization's with `billTo` (any member).",
  auth: "user",
  query: forecastQuery,
  response: { status: 200, schema: forecast, description: "The forecast." },
  errors: ["org_not_found", "not_org_member", "org_plan_required"],
  example: {
    query: { billTo: "acme-ai" },
    response: {
      period: "2026-11",
      today: "2026-11-21",
      monthEnd: "2026-11-30",
      daysInMonth: 30,
      completeDays: 20,
      estimator: "mean_of_complete_days",
      spentBeforeTodayNano: "20000000000",
      todaySoFarNano: "400000000",
      spentSoFarNano: "20400000000",
      ratePerDayNano: "1000000000",
      todayProjectedNano: "1000000000",
      projectedSpendNano: "30000000000",
      band: { lowNano: "28500000000", highNano: "31500000000" },
      projectedPaygNano: "26000000000",
      thresholdCents: 10000,
      thresholdChargesAhead: 0,
      credits: { state: "reached" },
      limit: { state: "on", day: "2026-11-27" },
      spendingLimitCents: 2500,
      payAsYouGo: true,
    },
  },
});

const savingsTotal = z.object({
  requests: z.number().int(),
  listPriceNano: nanoString,
  billedNano: nanoString,
});
const savings = describes<SavingsWire>()(
  z.object({
    from: isoMonth,
    to: isoMonth,
    months: z.array(
      z.object({
        month: isoMonth,
        lines: z.array(
          z.object({
            providerId: z.string(),
            provider: z.string(),
            billingIntegrated: z.boolean(),
            requests: z.number().int(),
            listPriceNano: nanoString.meta({
              description: "What the requests would have cost routed, at list price.",
            }),
            billedNano: nanoString.meta({
              description: "What the platform billed for them (nothing: the provider did).",
            }),
          }),
        ),
        total: savingsTotal,
      }),
    ),
    total: savingsTotal,
  }),
);

export const getSavings = defineContract({
  method: "GET",
  path: "/api/billing/savings",
  tag: TAG,
  summary: "Custom-key savings",
  description:
    "Requests made with the caller's own provider keys, per provider and month: what they would have cost if routed, beside what was billed. The last 3 months by default, at most 12.",
  auth: "user",
  query: savingsQuery,
  response: { status: 200, schema: savings, description: "Savings, newest month first." },
  errors: ["org_not_found", "not_org_member", "org_plan_required"],
  example: {
    query: { from: "2026-10", to: "2026-11" },
    response: {
      from: "2026-10",
      to: "2026-11",
      months: [
        {
          month: "2026-11",
          lines: [
            {
              providerId: "together",
              provider: "Together AI",
              billingIntegrated: true,
              requests: 120,
              listPriceNano: "1320000000",
              billedNano: "0",
            },
          ],
          total: { requests: 120, listPriceNano: "1320000000", billedNano: "0" },
        },
        { month: "2026-10", lines: [], total: { requests: 0, listPriceNano: "0", billedNano: "0" } },
      ],
      total: { requests: 120, listPriceNano: "1320000000", billedNano: "0" },
    },
  },
});
