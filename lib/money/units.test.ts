import { describe, expect, it } from "vitest";
import { divRoundHalfUp } from "./units";

describe("divRoundHalfUp", () => {
  it("rounds halves up and everything else to the nearest integer", () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divRoundHalfUp(14n, 10n)).toBe(1n);
    expect(divRoundHalfUp(0n, 7n)).toBe(0n);
  });

  it("refuses negative amounts and non-positive divisors", () => {
    expect(() => divRoundHalfUp(-1n, 10n)).toThrow(RangeError);
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});
