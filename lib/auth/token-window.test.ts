import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMIT_RESETS, tokenWindow } from "./token-window";

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("a token limit's window", () => {
  it.each([
    ["daily", "2026-12-04T13:45:00.000Z", "2026-12-04T00:00:00.000Z", "2026-12-05T00:00:00.000Z"],
    ["daily", "2026-12-04T00:00:00.000Z", "2026-12-04T00:00:00.000Z", "2026-12-05T00:00:00.000Z"],
    ["daily", "2026-12-03T23:59:59.999Z", "2026-12-03T00:00:00.000Z", "2026-12-04T00:00:00.000Z"],
    ["daily", "2026-12-31T12:00:00.000Z", "2026-12-31T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    // 2026-12-07 is a Monday.
    ["weekly", "2026-12-07T00:00:00.000Z", "2026-12-07T00:00:00.000Z", "2026-12-14T00:00:00.000Z"],
    ["weekly", "2026-12-06T23:59:59.999Z", "2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"],
    ["weekly", "2026-12-04T10:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"],
    ["weekly", "2027-01-01T10:00:00.000Z", "2026-12-28T00:00:00.000Z", "2027-01-04T00:00:00.000Z"],
    ["monthly", "2026-12-31T23:59:59.999Z", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ["monthly", "2027-02-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z", "2027-03-01T00:00:00.000Z"],
    ["never", "2026-12-04T13:45:00.000Z", "1970-01-01T00:00:00.000Z", null],
  ] as const)("%s at %s starts %s and resets %s", (reset, now, start, resetsAt) => {
    const w = tokenWindow(reset, at(now));
    expect(iso(w.start)).toBe(start);
    expect(iso(w.resetsAt)).toBe(resetsAt);
  });

  it("holds the instant, starts at 00:00 UTC, and weeks start on Monday", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        fc.constantFrom(...LIMIT_RESETS),
        (now, reset) => {
          const w = tokenWindow(reset, now);
          expect(w.start.getTime()).toBeLessThanOrEqual(now.getTime());
          if (w.resetsAt) expect(w.resetsAt.getTime()).toBeGreaterThan(now.getTime());
          expect(w.start.getTime() % 86_400_000).toBe(0);
          if (reset === "weekly") expect(w.start.getUTCDay()).toBe(1);
          if (reset === "monthly") expect(w.start.getUTCDate()).toBe(1);
          // The next window starts where this one ends.
          if (w.resetsAt) expect(tokenWindow(reset, w.resetsAt).start).toEqual(w.resetsAt);
        },
      ),
    );
  });
});
