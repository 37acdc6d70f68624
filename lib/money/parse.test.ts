import { describe, expect, it } from "vitest";
import { parseDollarsToCents } from "./parse";

describe("parseDollarsToCents", () => {
  it("reads whole and decimal dollar amounts exactly", () => {
    expect(parseDollarsToCents("50")).toBe(5000);
    expect(parseDollarsToCents("$12.05")).toBe(1205);
    expect(parseDollarsToCents(" 1,250.5 ")).toBe(125050);
    expect(parseDollarsToCents("0.29")).toBe(29); // 0.29 * 100 is 28.999999999999996 as a float
    expect(parseDollarsToCents("7.")).toBe(700);
    expect(parseDollarsToCents("0")).toBe(0);
  });

  it("refuses what is not an amount", () => {
    for (const bad of ["", "abc", "-5", "1.234", "1e3", "12.3.4", "123456789"])
      expect(parseDollarsToCents(bad)).toBeNull();
  });
});
