import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

describe("clientIp", () => {
  it("takes the last hop, the one our own server or proxy wrote", () => {
    expect(clientIp({ "x-forwarded-for": "6.6.6.6, 10.0.0.1, 203.0.113.9" })).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "127.0.0.1" }))).toBe("127.0.0.1");
  });

  it("falls back to 'unknown'", () => {
    expect(clientIp({})).toBe("unknown");
  });
});
