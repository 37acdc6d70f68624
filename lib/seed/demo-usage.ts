import type { Catalog } from "@/lib/catalog/schema";
import { computeCostNano, tokenCostNano } from "@/lib/pricing/rate";
import { allocateCost, includedCreditsNano } from "@/lib/ledger/credits";
import type { UsageInput } from "@/lib/ledger/record-usage";
import { seededRandom } from "./random";

export interface UsageProfile {
  accountId: string;
  memberIds: string[];
  plan: "free" | "pro" | "team" | "enterprise";
  seats: number;
  requestsPerDay: number;
  seed: number;
}

/** A recorded request: what recordUsage takes, with what rating and allocation made of it. */
export type DemoEvent = UsageInput & {
  hardware: string | null;
  costNano: bigint;
  creditsNano: bigint;
  paygNano: bigint;
};

export interface DemoPeriod {
  accountId: string;
  period: Date;
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
}

const DAY_MS = 86_400_000;
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

/**
 * A month of plausible traffic for one account, billed by the product's rules (allocateCost):
 * routed requests use the month's credits first, then pay-as-you-go (refused on Free);
 * custom-key requests record their list price and bill nothing. Written in bulk by the seed,
 * so a first start stays quick; lib/ledger/record-usage.ts is the per-request path.
 */
export function generateDemoUsage(catalog: Catalog, profile: UsageProfile, now: Date) {
  const rand = seededRandom(profile.seed);
  const providers = new Map(catalog.providers.map((p) => [p.id, p]));
  const tokenPrices = new Map(catalog.prices.map((p) => [`${p.providerId}|${p.modelId}`, p]));
  const hardwarePrices = new Map(catalog.hardwarePrices.map((h) => [h.hardware, h]));
  const plan = catalog.plans.find((p) => p.plan === profile.plan)!;
  const includedPerMonth = includedCreditsNano(plan, profile.seats);

  const drafts: Omit<DemoEvent, "id" | "creditsNano" | "paygNano">[] = [];
  for (let day = 29; day >= 0; day--) {
    const count = Math.max(
      0,
      profile.requestsPerDay + rand.int(-profile.requestsPerDay / 3, profile.requestsPerDay / 3),
    );
    for (let i = 0; i < count; i++) {
      const occurredAt = new Date(now.getTime() - day * DAY_MS - rand.int(0, DAY_MS - 1));
      if (occurredAt > now) continue;
      const served = rand.pick(catalog.providerModels);
      const provider = providers.get(served.providerId)!;
      const mode = !provider.billingIntegrated || rand.next() < 0.1 ? "custom_key" : "routed";
      let inputTokens = 0;
      let outputTokens = 0;
      let computeMs = 0;
      let costNano: bigint;
      if (provider.pricingUnit === "compute") {
        computeMs = rand.int(400, 12_000);
        costNano = computeCostNano(computeMs, hardwarePrices.get(served.hardware!)!);
      } else {
        inputTokens = rand.int(150, 8_000);
        outputTokens = rand.int(40, 2_000);
        costNano = tokenCostNano(
          { inputTokens, outputTokens },
          tokenPrices.get(`${served.providerId}|${served.modelId}`)!,
        );
      }
      drafts.push({
        accountId: profile.accountId,
        userId: rand.pick(profile.memberIds),
        providerId: served.providerId,
        modelId: served.modelId,
        mode,
        inputTokens,
        outputTokens,
        computeMs,
        hardware: served.hardware ?? null,
        costNano,
        occurredAt,
      });
    }
  }
  drafts.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());

  const periods = new Map<number, DemoPeriod>();
  const events: DemoEvent[] = [];
  for (const draft of drafts) {
    const start = monthStart(draft.occurredAt);
    let period = periods.get(start.getTime());
    if (!period) {
      period = {
        accountId: profile.accountId,
        period: start,
        creditsIncludedNano: includedPerMonth,
        creditsUsedNano: 0n,
        paygNano: 0n,
      };
      periods.set(start.getTime(), period);
    }
    const allocation = allocateCost({
      costNano: draft.costNano,
      mode: draft.mode,
      billingIntegrated: providers.get(draft.providerId)!.billingIntegrated,
      creditsLeftNano: period.creditsIncludedNano - period.creditsUsedNano,
      payAsYouGo: plan.payAsYouGo,
    });
    if (!allocation.ok) continue; // refused, as the router would have: Free credits used up
    const { creditsNano, paygNano } = allocation;
    period.creditsUsedNano += creditsNano;
    period.paygNano += paygNano;
    events.push({ ...draft, id: `demo-${profile.seed}-${events.length}`, creditsNano, paygNano });
  }
  return { events, periods: [...periods.values()] };
}
