import { allocateCost } from "@/lib/ledger/credits";
import { holdFits } from "@/lib/ledger/room";
import { centsToNano } from "@/lib/money/units";

/** One routed, billable request of the month, at its actual cost. */
export interface ReplayRequest {
  costNano: bigint;
  occurredAt: Date;
}

export interface PreviewDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  requests: number;
  costNano: bigint;
  refusedRequests: number;
  refusedCostNano: bigint;
}

export interface LimitPreview {
  limitCents: number;
  creditsIncludedNano: bigint;
  requests: number;
  costNano: bigint;
  /** What the accepted requests would have been billed: credits first, then pay-as-you-go. */
  acceptedCreditsNano: bigint;
  acceptedPaygNano: bigint;
  refused: { requests: number; costNano: bigint; firstAt: Date | null };
  /** Every day with traffic, in order. */
  days: PreviewDay[];
}

/**
 * Replays a month of routed requests (in time order) under a proposed spending limit, as
 * enforcement decides (holdFits, lib/ledger/room.ts): the month's credits are used first, then
 * pay-as-you-go, and a request is refused when its pay-as-you-go part would take the month's
 * pay-as-you-go past the limit. A refused request uses neither credits nor limit, so a cheaper
 * one after it may still pass.
 *
 * Holds are ignored: the replay uses each request's actual cost, whereas the router holds an
 * upper bound (max_tokens) until the request settles. Real enforcement can therefore refuse a
 * little earlier than this, never later.
 */
export function previewLimit(
  requests: Iterable<ReplayRequest>,
  terms: { limitCents: number; creditsIncludedNano: bigint },
): LimitPreview {
  const limitNano = centsToNano(terms.limitCents);
  let creditsUsed = 0n;
  let payg = 0n;
  const preview: LimitPreview = {
    limitCents: terms.limitCents,
    creditsIncludedNano: terms.creditsIncludedNano,
    requests: 0,
    costNano: 0n,
    acceptedCreditsNano: 0n,
    acceptedPaygNano: 0n,
    refused: { requests: 0, costNano: 0n, firstAt: null },
    days: [],
  };
  let today: PreviewDay | undefined;
  for (const r of requests) {
    const day = r.occurredAt.toISOString().slice(0, 10);
    if (today?.day !== day) {
      today = { day, requests: 0, costNano: 0n, refusedRequests: 0, refusedCostNano: 0n };
      preview.days.push(today);
    }
    preview.requests++;
    preview.costNano += r.costNano;
    today.requests++;
    today.costNano += r.costNano;
    const creditsLeft = terms.creditsIncludedNano - creditsUsed;
    const split = allocateCost({
      costNano: r.costNano,
      mode: "routed",
      billingIntegrated: true,
      creditsLeftNano: creditsLeft,
      payAsYouGo: true,
    });
    if (!split.ok) throw new Error("A routed request on a pay-as-you-go plan is always allocated.");
    // The router's rule, with nothing held: replayed requests are already settled.
    const room = {
      paygNano: payg,
      reservedNano: 0n,
      creditsLeftNano: creditsLeft,
      limitNano,
      payAsYouGo: true,
    };
    if (!holdFits(room, r.costNano)) {
      preview.refused.requests++;
      preview.refused.costNano += r.costNano;
      preview.refused.firstAt ??= r.occurredAt;
      today.refusedRequests++;
      today.refusedCostNano += r.costNano;
      continue;
    }
    creditsUsed += split.creditsNano;
    payg += split.paygNano;
  }
  preview.acceptedCreditsNano = creditsUsed;
  preview.acceptedPaygNano = payg;
  return preview;
}
