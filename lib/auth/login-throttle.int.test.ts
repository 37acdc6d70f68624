import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createLoginThrottle, DEFAULT_LIMITS, type ThrottleLimits } from "./login-throttle";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
afterAll(() => pool.end());

const limits: ThrottleLimits = {
  perPair: { failuresBeforeDelay: 3, firstDelaySeconds: 60, maxDelaySeconds: 600, windowSeconds: 3600 },
  perIp: { failuresBeforeDelay: 5, firstDelaySeconds: 60, maxDelaySeconds: 600, windowSeconds: 3600 },
};
const fresh = (over: Partial<ThrottleLimits> = {}, keyPrefix = `test-${randomUUID()}`) =>
  createLoginThrottle(pool, { limits: { ...limits, ...over }, keyPrefix, keySecret: "test-secret" });
const rowsOf = async (keyPrefix: string) =>
  (await pool.query<{ key: string }>("SELECT key FROM rate_limits WHERE key LIKE $1", [`${keyPrefix}:%`]))
    .rows;
const waitSeconds = async (throttle: ReturnType<typeof fresh>, account: string, ip: string) => {
  const verdict = await throttle.check(account, ip);
  return verdict.allowed ? 0 : verdict.retryAfterSeconds;
};

describe("login throttling", () => {
  it("the finding: an attacker's failures from A, past every limit, leave the owner at B free to sign in", async () => {
    const throttle = createLoginThrottle(pool, { keyPrefix: `test-${randomUUID()}` }); // the real limits
    const attacks = DEFAULT_LIMITS.perPair.failuresBeforeDelay * 4;
    for (let i = 0; i < attacks; i++) await throttle.recordFailure("owner@x.test", "203.0.113.7");
    expect(await throttle.check("Owner@X.test", "198.51.100.20")).toEqual({ allowed: true });
  });

  it("slows the attacker's pair with delays that double up to the cap, and only that pair", async () => {
    const throttle = fresh({ perIp: { ...limits.perIp, failuresBeforeDelay: 100 } });
    const waits = [];
    for (let i = 0; i < 8; i++) {
      await throttle.recordFailure("a@x.test", "203.0.113.7");
      waits.push(await waitSeconds(throttle, "a@x.test", "203.0.113.7"));
    }
    // 3 failures before the first delay; a second or so may pass between the write and the read.
    const approx = waits.map((w) => Math.round(w / 10) * 10);
    expect(approx).toEqual([0, 0, 60, 120, 240, 480, 600, 600]);
    expect(await throttle.check("a@x.test", "198.51.100.20")).toEqual({ allowed: true });
    expect(await throttle.check("b@x.test", "203.0.113.7")).toEqual({ allowed: true });
  });

  it("slows one address that fails across many accounts, for every account, right password or not", async () => {
    const throttle = fresh();
    for (let i = 0; i < 5; i++) await throttle.recordFailure(`user${i}@x.test`, "192.0.2.1");
    expect(await waitSeconds(throttle, "someone-new@x.test", "192.0.2.1")).toBeGreaterThan(50);
    expect((await throttle.check("someone-new@x.test", "192.0.2.2")).allowed).toBe(true);
  });

  it("counts an IPv6 host by its /64, so cycling its addresses gains nothing", async () => {
    const throttle = fresh();
    for (let i = 1; i <= 3; i++) await throttle.recordFailure("e@x.test", `2001:db8:1:2::${i}`);
    expect((await throttle.check("e@x.test", "2001:db8:1:2:ffff::9")).allowed).toBe(false);
    expect((await throttle.check("e@x.test", "2001:db8:1:3::1")).allowed).toBe(true);
  });

  it("a success clears its pair's count, and not the address's", async () => {
    const throttle = fresh();
    for (let i = 0; i < 2; i++) await throttle.recordFailure("c@x.test", "10.0.0.1");
    await throttle.recordSuccess("c@x.test", "10.0.0.1");
    for (let i = 0; i < 2; i++) await throttle.recordFailure("c@x.test", "10.0.0.1");
    expect(await throttle.check("c@x.test", "10.0.0.1")).toEqual({ allowed: true });
    await throttle.recordFailure("c@x.test", "10.0.0.1"); // the address's 5th: its delay starts
    await throttle.recordSuccess("c@x.test", "10.0.0.1");
    expect((await throttle.check("c@x.test", "10.0.0.1")).allowed).toBe(false);
  });

  it("shares its counts between instances (the table, not memory)", async () => {
    const prefix = `test-${randomUUID()}`;
    const one = fresh({}, prefix);
    const two = fresh({}, prefix);
    for (let i = 0; i < 3; i++) await one.recordFailure("d@x.test", "10.0.0.1");
    expect((await two.check("d@x.test", "10.0.0.1")).allowed).toBe(false);
  });

  it("stores no email or address, only keyed hashes", async () => {
    const prefix = `test-${randomUUID()}`;
    for (let i = 0; i < 4; i++)
      await fresh({}, prefix).recordFailure("Secret.Person@x.test", "198.51.100.77");
    const keys = (await rowsOf(prefix)).map((r) => r.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toMatch(/secret|person|@|198\.51/i);
  });

  it("rows for many distinct emails do not outlive their window", async () => {
    const prefix = `test-${randomUUID()}`;
    const short = { failuresBeforeDelay: 1, firstDelaySeconds: 1, maxDelaySeconds: 1, windowSeconds: 1 };
    const throttle = createLoginThrottle(pool, {
      limits: { perPair: short, perIp: { ...short, failuresBeforeDelay: 1_000 } },
      keyPrefix: prefix,
      sweepEverySeconds: 0,
    });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => throttle.recordFailure(`guess-${i}@x.test`, `10.1.${i}.1`)),
    );
    expect((await rowsOf(prefix)).length).toBeGreaterThanOrEqual(400); // 200 pairs, 200 addresses
    await new Promise((r) => setTimeout(r, 1_100)); // past the 1-second window
    await throttle.recordFailure("one-more@x.test", "10.2.0.1"); // a failure sweeps what expired
    expect((await rowsOf(prefix)).length).toBeLessThanOrEqual(3); // its pair's count and delay, its address's count
  });
});
