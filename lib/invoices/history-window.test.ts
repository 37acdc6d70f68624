import { describe, expect, it } from "vitest";
import { invoiceHistoryStart } from "./history-window";
import { usageBreakdownHref } from "./usage-link";

describe("the invoice history window", () => {
  it.each([
    ["2026-11-21T17:00:00Z", "2026-08-01"],
    ["2026-11-01T00:00:00Z", "2026-08-01"],
    ["2026-10-31T23:59:59Z", "2026-07-01"],
    ["2026-02-10T00:00:00Z", "2025-11-01"],
  ])("at %s starts on %s", (now, start) => {
    expect(invoiceHistoryStart(new Date(now)).toISOString().slice(0, 10)).toBe(start);
  });
});

describe("usage links of invoice lines", () => {
  const period = { periodStart: new Date("2026-10-01"), periodEnd: new Date("2026-11-01") };
  it("point at the user's or the org's usage page over the invoice's period", () => {
    expect(usageBreakdownHref({ org: null, ...period })).toBe(
      "/settings/inference-providers?from=2026-10-01&to=2026-11-01",
    );
    expect(usageBreakdownHref({ org: "acme-ai", ...period })).toBe(
      "/organizations/acme-ai/settings/inference-providers?from=2026-10-01&to=2026-11-01",
    );
  });
});
