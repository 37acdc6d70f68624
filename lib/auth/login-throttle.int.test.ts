import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createLoginThrottle } from "./login-throttle";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
afterAll(() => pool.end());

const limits = { failuresPerAccount: 3, failuresPerIp: 5, windowSeconds: 60 };
const fresh = () => createLoginThrottle(pool, limits, `test-${randomUUID()}`);

describe("login throttling", () => {
  it("locks an account after its failures, whatever the IP, with a retry time", async () => {
    const throttle = fresh();
    for (let i = 0; i < 3; i++) {
      expect(await throttle.check("a@x.test", `10.0.0.${i}`)).toEqual({ allowed: true });
      await throttle.recordFailure("a@x.test", `10.0.0.${i}`);
    }
    const verdict = await throttle.check("A@X.test", "10.9.9.9");
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.retryAfterSeconds).toBeGreaterThan(0);
    expect(await throttle.check("b@x.test", "10.9.9.9")).toEqual({ allowed: true });
  });

  it("locks an IP that fails across many accounts", async () => {
    const throttle = fresh();
    for (let i = 0; i < 5; i++) await throttle.recordFailure(`user${i}@x.test`, "192.0.2.1");
    expect((await throttle.check("someone-new@x.test", "192.0.2.1")).allowed).toBe(false);
    expect((await throttle.check("someone-new@x.test", "192.0.2.2")).allowed).toBe(true);
  });

  it("clears an account's failures on success", async () => {
    const throttle = fresh();
    await throttle.recordFailure("c@x.test", "10.0.0.1");
    await throttle.recordFailure("c@x.test", "10.0.0.1");
    await throttle.recordSuccess("c@x.test");
    await throttle.recordFailure("c@x.test", "10.0.0.1");
    await throttle.recordFailure("c@x.test", "10.0.0.1");
    expect((await throttle.check("c@x.test", "10.0.0.1")).allowed).toBe(true);
  });

  it("shares its counts between instances (the table, not memory)", async () => {
    const prefix = `test-${randomUUID()}`;
    const one = createLoginThrottle(pool, limits, prefix);
    const two = createLoginThrottle(pool, limits, prefix);
    for (let i = 0; i < 3; i++) await one.recordFailure("d@x.test", "10.0.0.1");
    expect((await two.check("d@x.test", "10.0.0.1")).allowed).toBe(false);
  });
});
