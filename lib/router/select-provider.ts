import type { Offer } from "./catalog";
import type { Policy } from "./model-ref";

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
  /** Measured output tokens per second of this model at each provider; absent: not timed yet. */
  speeds: ReadonlyMap<string, number>;
}

/** Whether a request can go to this provider: not disabled, and billable or the caller's own key. */
export function usable(c: Offer, p: Preferences): boolean {
  return !p.disabled.has(c.providerId) && (c.billingIntegrated || p.withKey.has(c.providerId));
}

/** The policy of a request that names no provider: the caller's order if they saved one, else fastest. */
export function policyFor(named: Policy | null, p: Preferences): Policy {
  return named ?? (p.order.length ? "preferred" : "fastest");
}

type Compare = (a: Candidate, b: Candidate) => number;

const byCost: Compare = (a, b) =>
  a.maxCostNano < b.maxCostNano ? -1 : a.maxCostNano > b.maxCostNano ? 1 : 0;
const byId: Compare = (a, b) => a.providerId.localeCompare(b.providerId);

/**
 * Fastest first. A provider not timed in the window comes before every timed one, so each gets
 * measured once instead of never (the first requests explore, in id order); then the highest
 * measured throughput; equal speeds go to the cheaper, then by id.
 */
const bySpeed =
  (p: Preferences): Compare =>
  (a, b) => {
    const sa = p.speeds.get(a.providerId);
    const sb = p.speeds.get(b.providerId);
    if (sa === undefined || sb === undefined) return Number(sa !== undefined) - Number(sb !== undefined);
    return sb - sa;
  };

const byOrder =
  (p: Preferences): Compare =>
  (a, b) => {
    const rank = (c: Candidate) => {
      const i = p.order.indexOf(c.providerId);
      return i === -1 ? p.order.length : i;
    };
    return rank(a) - rank(b);
  };

function comparators(policy: Policy, p: Preferences): Compare[] {
  switch (policy) {
    case "cheapest":
      return [byCost, byId];
    case "fastest":
      return [bySpeed(p), byCost, byId];
    case "preferred":
      // Providers the caller did not list come after those they did, fastest first.
      return [byOrder(p), bySpeed(p), byCost, byId];
  }
}

/**
 * The provider for a request that names none, by its policy, among those the paying account
 * allows; every tie is broken, so the choice is stable. When none is usable, the best unusable
 * one is returned so the authorization step refuses with the reason (disabled, or not billable
 * without a key).
 */
export function chooseProvider(candidates: Candidate[], policy: Policy, p: Preferences): Candidate | null {
  if (candidates.length === 0) return null;
  const order = comparators(policy, p);
  const sorted = [...candidates].sort((a, b) => {
    const byUse = Number(usable(b, p)) - Number(usable(a, p));
    if (byUse) return byUse;
    for (const compare of order) {
      const c = compare(a, b);
      if (c) return c;
    }
    return 0;
  });
  return sorted[0]!;
}
