import { describe, expect, it } from "vitest";
import { formatRange } from "./format";

describe("formatRange", () => {
  it("names a [from, to) range of UTC days by its first and last day", () => {
    expect(formatRange("2026-10-22", "2026-11-22", "en-US")).toBe("Oct 22 – Nov 21, 2026");
  });

  it("spaces with plain spaces only, as every ICU renders them (no hydration mismatch)", () => {
    for (const locale of ["en-US", "fr-FR", "de-DE", "ja-JP"]) {
      expect(formatRange("2026-10-22", "2026-11-22", locale)).not.toMatch(/[^\S ]/u);
    }
  });
});
