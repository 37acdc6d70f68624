import { describe, expect, it } from "vitest";
import { readEnv } from "./env";

const env = (vars: Record<string, string>) => readEnv({ NODE_ENV: "test", ...vars });

describe("the hold TTL", () => {
  it("defaults to 10 minutes, beyond the upstream timeout", () => {
    expect(env({})).toMatchObject({ ROUTER_HOLD_TTL_MS: 600_000, ROUTER_UPSTREAM_TIMEOUT_MS: 60_000 });
  });

  it("can be shortened, but never to the upstream timeout or below (a slow call would lose its hold)", () => {
    expect(env({ ROUTER_HOLD_TTL_MS: "3000", ROUTER_UPSTREAM_TIMEOUT_MS: "2000" })).toMatchObject({
      ROUTER_HOLD_TTL_MS: 3_000,
    });
    expect(() => env({ ROUTER_HOLD_TTL_MS: "2000", ROUTER_UPSTREAM_TIMEOUT_MS: "2000" })).toThrow(
      /ROUTER_HOLD_TTL_MS must be longer than ROUTER_UPSTREAM_TIMEOUT_MS/,
    );
  });
});
