import { describe, expect, it } from "vitest";
import { backoffSeconds } from "./login-backoff";

const rule = { failuresBeforeDelay: 5, firstDelaySeconds: 60, maxDelaySeconds: 900, windowSeconds: 3600 };

describe("backoffSeconds", () => {
  it("lets the first failures through, then doubles the delay up to its cap", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, rule))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10].map((n) => backoffSeconds(n, rule))).toEqual([60, 120, 240, 480, 900, 900]);
  });

  it("stays at the cap however many failures there were", () => {
    expect(backoffSeconds(10_000, rule)).toBe(900);
  });
});
