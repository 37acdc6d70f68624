import { describe, expect, it } from "vitest";
import { ThroughputWindow } from "./throughput";

describe("the router's throughput window", () => {
  it("pools each provider's timings of a model: total tokens over total time", () => {
    const w = new ThroughputWindow(60_000);
    w.record("a", "m", 10, 10, 1_000); // 1,000 tok/s
    w.record("a", "m", 90, 30, 2_000); // 3,000 tok/s
    w.record("b", "m", 50, 100, 2_000);
    w.record("a", "other", 1, 1_000, 2_000);
    expect(w.snapshot("m", ["a", "b", "c"], 3_000)).toEqual(
      new Map([
        ["a", 2500],
        ["b", 500],
      ]),
    );
  });

  it("forgets timings older than the window, and ignores answers without tokens or time", () => {
    const w = new ThroughputWindow(60_000);
    w.record("a", "m", 100, 10, 0);
    w.record("a", "m", 0, 10, 50_000);
    w.record("b", "m", 10, 0, 50_000);
    expect(w.snapshot("m", ["a", "b"], 59_999).get("a")).toBe(10_000);
    expect(w.snapshot("m", ["a", "b"], 60_000)).toEqual(new Map());
  });

  it("is a copy: later timings do not change a reading already taken", () => {
    const w = new ThroughputWindow(60_000);
    w.record("a", "m", 100, 100, 0);
    const reading = w.snapshot("m", ["a"], 1);
    w.record("a", "m", 100, 10, 1);
    expect(reading.get("a")).toBe(1000);
  });
});
