/** How one throttle layer (a pair of account and address, or an address) slows its failures down. */
export interface BackoffRule {
  /** Failures in the window before the first delay: typos cost nothing. */
  failuresBeforeDelay: number;
  /** The delay after that failure; each further failure doubles it... */
  firstDelaySeconds: number;
  /** ...up to this cap: a pause, never a lockout. */
  maxDelaySeconds: number;
  /** How long failures are remembered after the first one (the counter's row then expires). */
  windowSeconds: number;
}

/** Seconds to refuse sign-ins after the `failures`-th failure in the window (0: none). */
export function backoffSeconds(failures: number, rule: BackoffRule): number {
  if (failures < rule.failuresBeforeDelay) return 0;
  const doublings = Math.min(failures - rule.failuresBeforeDelay, 30); // 2^30 s is past any cap
  return Math.min(rule.maxDelaySeconds, rule.firstDelaySeconds * 2 ** doublings);
}
