import type pg from "pg";
import { RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";

export interface ThrottleLimits {
  /** Failed sign-ins allowed per account in the window before it is locked for the window. */
  failuresPerAccount: number;
  /** Failed sign-ins allowed per client IP in the window. */
  failuresPerIp: number;
  windowSeconds: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  failuresPerAccount: 5,
  failuresPerIp: 100,
  windowSeconds: 15 * 60,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Login throttling per account and per IP, counted in PostgreSQL (table rate_limits) so every
 * app instance shares the counts. Only failures count; a success clears the account's count.
 */
export function createLoginThrottle(
  pool: pg.Pool,
  limits: ThrottleLimits = DEFAULT_LIMITS,
  keyPrefix = "login",
) {
  const common = {
    storeClient: pool,
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true, // created by the migrations
    clearExpiredByTimeout: false,
    duration: limits.windowSeconds,
    blockDuration: limits.windowSeconds,
  };
  const perAccount = new RateLimiterPostgres({
    ...common,
    keyPrefix: `${keyPrefix}:account`,
    points: limits.failuresPerAccount,
  });
  const perIp = new RateLimiterPostgres({
    ...common,
    keyPrefix: `${keyPrefix}:ip`,
    points: limits.failuresPerIp,
  });

  const blockedFor = (res: RateLimiterRes | null, points: number) =>
    res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;

  return {
    async check(account: string, ip: string): Promise<ThrottleVerdict> {
      const [a, i] = await Promise.all([perAccount.get(account.toLowerCase()), perIp.get(ip)]);
      const wait = Math.max(blockedFor(a, limits.failuresPerAccount), blockedFor(i, limits.failuresPerIp));
      return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
    },
    async recordFailure(account: string, ip: string): Promise<void> {
      // consume() rejects once the limit is passed; the block it sets is what check() reads next time.
      await Promise.allSettled([perAccount.consume(account.toLowerCase()), perIp.consume(ip)]);
    },
    async recordSuccess(account: string): Promise<void> {
      await perAccount.delete(account.toLowerCase());
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
