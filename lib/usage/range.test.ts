import { describe, expect, it } from "vitest";
import { daysOf, pastMonth, rangeFromParams, rangePresets, thisMonth } from "./range";

const now = new Date("2026-11-21T17:00:00Z");

describe("usage ranges", () => {
  it("defaults to the past month, the API's own default: 31 days ending today", () => {
    expect(pastMonth(now)).toEqual({ from: "2026-10-22", to: "2026-11-22" });
    expect(rangeFromParams({}, now)).toEqual(pastMonth(now));
    expect(daysOf(pastMonth(now))).toHaveLength(31);
  });

  it("takes an invoice's period from the query string (to exclusive)", () => {
    expect(rangeFromParams({ from: "2026-10-01", to: "2026-11-01" }, now)).toEqual({
      from: "2026-10-01",
      to: "2026-11-01",
    });
    expect(thisMonth(now)).toEqual({ from: "2026-11-01", to: "2026-11-22" });
  });

  it("falls back to the default for malformed, empty, reversed or too long ranges", () => {
    for (const params of [
      { from: "2026-13-01", to: "2026-11-31" },
      { from: "2026-02-30", to: "2026-02-31" },
      { from: "2026-11-01", to: "2026-11-01" },
      { from: "2026-11-05", to: "2026-11-01" },
      { from: "2024-01-01", to: "2026-01-01" },
      { from: "yesterday", to: null },
    ])
      expect(rangeFromParams(params, now)).toEqual(pastMonth(now));
  });

  it("completes a half-given range", () => {
    expect(rangeFromParams({ from: "2026-11-10" }, now)).toEqual({ from: "2026-11-10", to: "2026-11-22" });
    expect(rangeFromParams({ to: "2026-10-01" }, now)).toEqual({ from: "2026-08-31", to: "2026-10-01" });
  });
});

describe("range presets", () => {
  it("offers the past month, the last 7 days, this billing month and the previous one", () => {
    expect(rangePresets(new Date("2026-01-15T00:30:00Z"))).toEqual([
      { label: "Past month", range: { from: "2025-12-16", to: "2026-01-16" } },
      { label: "Last 7 days", range: { from: "2026-01-09", to: "2026-01-16" } },
      { label: "This month", range: { from: "2026-01-01", to: "2026-01-16" } },
      { label: "Last month", range: { from: "2025-12-01", to: "2026-01-01" } },
    ]);
  });
});
