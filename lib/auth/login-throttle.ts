import { createHmac } from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { backoffSeconds, type BackoffRule } from "./login-backoff";
import { throttleAddress } from "./throttle-address";

export interface ThrottleLimits {
  /** Failures of one account from one client address: the owner's own typos, or a guesser there. */
  perPair: BackoffRule;
  /** Failures from one client address across all accounts: one guesser trying many accounts. */
  perIp: BackoffRule;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  perPair: {
    failuresBeforeDelay: 5,
    firstDelaySeconds: 60,
    maxDelaySeconds: 15 * 60,
    windowSeconds: 60 * 60,
  },
  perIp: {
    failuresBeforeDelay: 100,
    firstDelaySeconds: 60,
    maxDelaySeconds: 15 * 60,
    windowSeconds: 60 * 60,
  },
};

export interface ThrottleOptions {
  limits?: ThrottleLimits;
  keyPrefix?: string;
  /** Keys are HMACs under this secret, so the table holds no email or address an attacker can list. */
  keySecret?: string;
  /** Expired rows are deleted at most this often, on a failure (rows only grow on failures). */
  sweepEverySeconds?: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const TABLE = "rate_limits";

/**
 * One throttle layer: a failure counter per key for the rule's window, and after enough failures
 * a delay (a blocked row) that doubles with each further failure, up to the cap.
 */
function backoffLayer(pool: pg.Pool, keyPrefix: string, rule: BackoffRule) {
  const common = { storeClient: pool, storeType: "pool", tableName: TABLE, tableCreated: true, points: 1 };
  // Our own sweep deletes expired rows (testable, and one DELETE instead of one timer per limiter).
  const failures = new RateLimiterPostgres({
    ...common,
    clearExpiredByTimeout: false,
    keyPrefix: `${keyPrefix}:failures`,
    duration: rule.windowSeconds,
  });
  const delays = new RateLimiterPostgres({
    ...common,
    clearExpiredByTimeout: false,
    keyPrefix: `${keyPrefix}:delay`,
    duration: rule.maxDelaySeconds,
  });
  return {
    async waitSeconds(key: string): Promise<number> {
      const res = await delays.get(key);
      return res && res.msBeforeNext > 0 ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
    },
    async fail(key: string): Promise<void> {
      // penalty() only counts (never rejects); the delay it earns is a separate, shorter-lived row.
      const { consumedPoints } = await failures.penalty(key);
      const wait = backoffSeconds(consumedPoints, rule);
      if (wait > 0) await delays.block(key, wait);
    },
    async clear(key: string): Promise<void> {
      await Promise.all([failures.delete(key), delays.delete(key)]);
    },
  };
}

/**
 * Login throttling per (account, client address) and per client address, with growing delays,
 * counted in PostgreSQL (table rate_limits) so every app instance shares the counts. There is no
 * per-account limit: it would let anyone lock the owner out (docs/security.md, "Sign-in
 * throttling"). Only failures count; a success clears its pair, never the address's count.
 */
export function createLoginThrottle(pool: pg.Pool, options: ThrottleOptions = {}) {
  const { limits = DEFAULT_LIMITS, keyPrefix = "login", keySecret = "", sweepEverySeconds = 60 } = options;
  const perPair = backoffLayer(pool, `${keyPrefix}:pair`, limits.perPair);
  const perIp = backoffLayer(pool, `${keyPrefix}:ip`, limits.perIp);
  const hash = (...parts: string[]) =>
    createHmac("sha256", keySecret).update(parts.join("\0")).digest("base64url");
  const pairKey = (account: string, ip: string) => hash("pair", account.toLowerCase(), throttleAddress(ip));
  const ipKey = (ip: string) => hash("ip", throttleAddress(ip));

  let lastSweep = 0;
  const sweepIfDue = async () => {
    if (Date.now() - lastSweep < sweepEverySeconds * 1000) return;
    lastSweep = Date.now();
    await sweepExpiredCounters(pool);
  };

  return {
    async check(account: string, ip: string): Promise<ThrottleVerdict> {
      const waits = await Promise.all([
        perPair.waitSeconds(pairKey(account, ip)),
        perIp.waitSeconds(ipKey(ip)),
      ]);
      const wait = Math.max(...waits);
      return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
    },
    async recordFailure(account: string, ip: string): Promise<void> {
      await Promise.all([perPair.fail(pairKey(account, ip)), perIp.fail(ipKey(ip)), sweepIfDue()]);
    },
    async recordSuccess(account: string, ip: string): Promise<void> {
      await perPair.clear(pairKey(account, ip));
    },
  };
}

/** Deletes the counters and delays whose time is up, so the table holds only live ones. */
export async function sweepExpiredCounters(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now()]);
  return rowCount ?? 0;
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
