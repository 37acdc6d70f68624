import { describe, expect, it } from "vitest";
import { describeAuditEntry, redact } from "./describe";

describe("audit entries in words", () => {
  it("says what changed, before → after", () => {
    expect(
      describeAuditEntry({
        action: "spending_limit.update",
        before: { limitCents: null },
        after: { limitCents: 123456 },
      }),
    ).toEqual({ action: "Changed the spending limit", change: "No limit → $1,234.56" });
    expect(
      describeAuditEntry({
        action: "provider.disable",
        before: { enabled: true },
        after: { enabled: false },
      }),
    ).toEqual({ action: "Switched a provider off", change: "on → off" });
    expect(
      describeAuditEntry({ action: "billing.seats.update", before: { seats: 5 }, after: { seats: 1 } })
        .change,
    ).toBe("5 seats → 1 seat");
    expect(
      describeAuditEntry({ action: "billing.plan.update", before: { plan: "pro" }, after: { plan: "free" } }),
    ).toEqual({ action: "Changed the plan", change: "pro → free" });
    expect(
      describeAuditEntry({ action: "provider_key.create", before: null, after: { last4: "abcd" } }).change,
    ).toBe("— → key ending in abcd");
  });

  it("never shows a secret, whatever was recorded", () => {
    const leaky = { key: "hf_secret_value", apiToken: "t", last4: "lue1", nested: { password: "p", ok: 1 } };
    expect(redact(leaky)).toEqual({ last4: "lue1", nested: { ok: 1 } });
    const words = describeAuditEntry({ action: "something.new", before: null, after: leaky });
    expect(words.change).not.toContain("hf_secret_value");
    expect(words.action).toBe("something.new");
  });
});
