import { describe, expect, it } from "vitest";
import { isoDay, formatPeriod } from "@/lib/kernel/period";
import { dateWindow, dayParam, decimalIntParam, monthParam } from "./query-params";

describe("query parameters", () => {
  const { first, end } = dateWindow();
  const lastDay = new Date(end.getTime() - 86_400_000);

  it("takes real calendar days inside the kept window only", () => {
    expect(dayParam.safeParse(isoDay(new Date())).success).toBe(true);
    expect(dayParam.safeParse(isoDay(first)).success).toBe(true);
    expect(dayParam.safeParse(isoDay(lastDay)).success).toBe(true);
    for (const bad of [
      "0000-01-01",
      "9999-12-31",
      isoDay(end),
      isoDay(new Date(first.getTime() - 1)),
      "2026-02-30",
      "2026-13-01",
      "x",
    ])
      expect(dayParam.safeParse(bad).success, bad).toBe(false);
  });

  it("takes months inside the window only", () => {
    expect(monthParam.parse(formatPeriod(first))).toEqual(first);
    for (const bad of ["0000-01", "1900-01", formatPeriod(end), "2026-1", "x"])
      expect(monthParam.safeParse(bad).success, bad).toBe(false);
  });

  it("takes decimal digits only", () => {
    const cents = decimalIntParam({ name: "limitCents", min: 0, max: 100, range: "0 to 100" });
    expect(cents.parse("16")).toBe(16);
    expect(cents.parse("0")).toBe(0);
    for (const bad of ["0x10", "", " 7", "1e1", "1.5", "-1", "101", "+3", "٣"])
      expect(cents.safeParse(bad).success, bad).toBe(false);
  });
});
