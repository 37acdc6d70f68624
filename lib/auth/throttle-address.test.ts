import { describe, expect, it } from "vitest";
import { throttleAddress } from "./throttle-address";

describe("throttleAddress", () => {
  it("keeps IPv4 addresses, also IPv4-mapped ones", () => {
    expect(throttleAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(throttleAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(throttleAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
  });

  it("groups IPv6 addresses by their /64, in every notation", () => {
    const block = "2001:db8:85a3:1::/64";
    expect(throttleAddress("2001:db8:85a3:1::1")).toBe(block);
    expect(throttleAddress("2001:0DB8:85a3:0001:ffff:ffff:ffff:ffff")).toBe(block);
    expect(throttleAddress("2001:db8:85a3:1:0:0:10.0.0.1")).toBe(block);
    expect(throttleAddress("2001:db8:85a3:2::1")).toBe("2001:db8:85a3:2::/64");
    expect(throttleAddress("::1")).toBe("0:0:0:0::/64");
    expect(throttleAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("leaves anything else as it came ('unknown', a hostname)", () => {
    expect(throttleAddress("unknown")).toBe("unknown");
  });
});
