import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "./signature";

describe("webhook signatures", () => {
  const at = new Date("2026-12-01T10:00:00Z");
  const body = '{"type":"billing.alert"}';
  const header = signWebhook("whsec_test", body, at);

  it("signs the time and the body", () => {
    expect(header).toMatch(/^t=1796119200,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook("whsec_test", body, header, { now: at, toleranceSeconds: 300 })).toBe(true);
  });

  it("refuses another body, another secret, a forged time, or an old delivery", () => {
    const opts = { now: at, toleranceSeconds: 300 };
    expect(verifyWebhook("whsec_test", body + " ", header, opts)).toBe(false);
    expect(verifyWebhook("whsec_other", body, header, opts)).toBe(false);
    expect(verifyWebhook("whsec_test", body, header.replace("t=1796119200", "t=1796119201"), opts)).toBe(
      false,
    );
    expect(
      verifyWebhook("whsec_test", body, header, {
        now: new Date(at.getTime() + 301_000),
        toleranceSeconds: 300,
      }),
    ).toBe(false);
    expect(verifyWebhook("whsec_test", body, "garbage", opts)).toBe(false);
  });
});
