import { describe, expect, it } from "vitest";
import { retentionHorizon } from "@/lib/kernel/retention";
import { isMissingPartition, readyMonths } from "./usage-partitions";

const months = (ds: Date[]) => ds.map((d) => d.toISOString().slice(0, 7));

describe("usage partition months", () => {
  it("keeps last month, this one and the next three ready, across a year's end", () => {
    expect(months(readyMonths(new Date("2026-11-30T23:59:59Z")))).toEqual([
      "2026-10",
      "2026-11",
      "2026-12",
      "2027-01",
      "2027-02",
    ]);
  });

  it("keeps the current month and N whole months before it", () => {
    expect(retentionHorizon(new Date("2026-02-10T08:00:00Z"), 3).toISOString()).toBe(
      "2025-11-01T00:00:00.000Z",
    );
    expect(retentionHorizon(new Date("2026-12-01T00:00:00Z"), 24).toISOString()).toBe(
      "2024-12-01T00:00:00.000Z",
    );
  });

  it("tells a missing partition from other check violations", () => {
    const missing = { code: "23514", message: 'no partition of relation "usage_events" found for row' };
    expect(isMissingPartition(missing)).toBe(true);
    expect(isMissingPartition({ code: "23514", message: 'new row violates check constraint "x"' })).toBe(
      false,
    );
    expect(isMissingPartition(null)).toBe(false);
  });
});
