import type { Offer } from "./catalog";

export interface Candidate extends Offer {
  /** What this request would cost at most with this provider (the hold), nano-dollars. */
  maxCostNano: bigint;
}

export interface Preferences {
  /** The caller's provider order (settings), most preferred first. */
  order: string[];
  /** Providers the paying account disabled. */
  disabled: ReadonlySet<string>;
  /** Providers the caller stored a key for. */
  withKey: ReadonlySet<string>;
}

/** Whether a request can go to this provider: not disabled, and billable or the caller's own key. */
export function usable(c: Offer, p: Preferences): boolean {
  return !p.disabled.has(c.providerId) && (c.billingIntegrated || p.withKey.has(c.providerId));
}

/**
 * The provider for a request that names none: among those the paying account allows, the
 * first in the caller's preference order, else the cheapest for this request (ties by id, so
 * the choice is stable). When none is usable, the best unusable one is returned so the
 * authorization step refuses with the reason (disabled, or not billable without a key).
 */
export function chooseProvider(candidates: Candidate[], p: Preferences): Candidate | null {
  if (candidates.length === 0) return null;
  const rank = (c: Candidate) => {
    const i = p.order.indexOf(c.providerId);
    return i === -1 ? p.order.length : i;
  };
  const sorted = [...candidates].sort(
    (a, b) =>
      Number(usable(b, p)) - Number(usable(a, p)) ||
      rank(a) - rank(b) ||
      (a.maxCostNano < b.maxCostNano ? -1 : a.maxCostNano > b.maxCostNano ? 1 : 0) ||
      a.providerId.localeCompare(b.providerId),
  );
  return sorted[0]!;
}
