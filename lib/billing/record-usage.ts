import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/http/errors";
import { rateRequest } from "@/lib/pricing/rate-request";
import { planInForce } from "@/lib/pricing/plans";
import { NANO_PER_CENT } from "@/lib/money/units";
import { allocateCost } from "./credits";
import { lockAccountPeriod } from "./account-period";
import { periodStart } from "./period";
import { thresholdChargesDue } from "./threshold";

export interface UsageInput {
  /** The request id: recording the same id twice counts it once. */
  id: string;
  accountId: string;
  /** Who made the request (the member, for org accounts). */
  userId: string;
  providerId: string;
  modelId: string;
  mode: "routed" | "custom_key";
  inputTokens: number;
  outputTokens: number;
  computeMs: number;
  occurredAt: Date;
}

export interface RecordedUsage {
  duplicate: boolean;
  costNano: bigint;
  creditsNano: bigint;
  paygNano: bigint;
  /** Threshold charges this request made due (to be collected by collectThresholdCharges). */
  thresholdChargesCreated: number;
}

const REFUSALS = {
  credits_exhausted: (resetsOn: string) =>
    new AppError(
      402,
      "credits_exhausted",
      `Your monthly credits are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on ${resetsOn}.`,
      { resetsOn },
    ),
  provider_not_integrated: (provider: string) =>
    new AppError(
      403,
      "provider_not_integrated",
      `${provider} cannot be billed through the platform. Add your own ${provider} key in your inference provider settings to use it.`,
      { provider },
    ),
};

/**
 * Records one request and bills it, all in one transaction: rates it at the price in force,
 * applies the month's credits then pay-as-you-go, adds it to the daily rollup, and creates the
 * threshold charges it makes due. A refused request (Free credits used up, provider not
 * billable) writes nothing. Replaying an id is a no-op that reports `duplicate`.
 */
export async function recordUsage(db: Db, input: UsageInput): Promise<RecordedUsage> {
  return db.$transaction(async (tx) => {
    const existing = await tx.usageEvent.findUnique({
      where: { id: input.id },
      select: { costNano: true, creditsNano: true, paygNano: true },
    });
    if (existing) return { duplicate: true, ...existing, thresholdChargesCreated: 0 };

    const account = await tx.billingAccount.findUniqueOrThrow({
      where: { id: input.accountId },
      select: { id: true, plan: true, seats: true, thresholdCents: true },
    });
    const rated = await rateRequest(tx, { ...input, at: input.occurredAt });
    const period = periodStart(input.occurredAt);
    const counters = await lockAccountPeriod(tx, account, period);
    const terms = await planInForce(tx, account.plan, period);
    const allocation = allocateCost({
      costNano: rated.costNano,
      mode: input.mode,
      billingIntegrated: rated.billingIntegrated,
      creditsLeftNano: counters.creditsIncludedNano - counters.creditsUsedNano,
      payAsYouGo: terms.payAsYouGo,
    });
    if (!allocation.ok) {
      if (allocation.code === "provider_not_integrated")
        throw REFUSALS.provider_not_integrated(input.providerId);
      const next = new Date(Date.UTC(period.getUTCFullYear(), period.getUTCMonth() + 1, 1));
      throw REFUSALS.credits_exhausted(next.toISOString().slice(0, 10));
    }
    const { creditsNano, paygNano } = allocation;

    const inserted = await tx.$executeRaw`
      INSERT INTO usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens,
                                compute_ms, hardware, cost_nano, credits_nano, payg_nano, occurred_at)
      VALUES (${input.id}, ${account.id}::uuid, ${input.userId}::uuid, ${input.providerId}, ${input.modelId},
              ${input.mode}::"BillingMode", ${input.inputTokens}, ${input.outputTokens}, ${input.computeMs},
              ${rated.hardware}, ${rated.costNano}, ${creditsNano}, ${paygNano}, ${input.occurredAt})
      ON CONFLICT (id) DO NOTHING`;
    if (inserted === 0) {
      // Recorded concurrently by another transaction since we looked: that one counts.
      const row = await tx.usageEvent.findUniqueOrThrow({
        where: { id: input.id },
        select: { costNano: true, creditsNano: true, paygNano: true },
      });
      return { duplicate: true, ...row, thresholdChargesCreated: 0 };
    }

    await tx.$executeRaw`
      INSERT INTO usage_daily AS d (account_id, day, provider_id, model_id, mode, user_id, requests, input_tokens,
                                    output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
      VALUES (${account.id}::uuid, (${input.occurredAt}::timestamptz AT TIME ZONE 'UTC')::date, ${input.providerId},
              ${input.modelId}, ${input.mode}::"BillingMode", ${input.userId}::uuid, 1, ${input.inputTokens},
              ${input.outputTokens}, ${input.computeMs}, ${rated.costNano}, ${creditsNano}, ${paygNano})
      ON CONFLICT (account_id, day, provider_id, model_id, mode, user_id) DO UPDATE SET
        requests = d.requests + 1,
        input_tokens = d.input_tokens + EXCLUDED.input_tokens,
        output_tokens = d.output_tokens + EXCLUDED.output_tokens,
        compute_ms = d.compute_ms + EXCLUDED.compute_ms,
        cost_nano = d.cost_nano + EXCLUDED.cost_nano,
        credits_nano = d.credits_nano + EXCLUDED.credits_nano,
        payg_nano = d.payg_nano + EXCLUDED.payg_nano`;

    const paygTotal = counters.paygNano + paygNano;
    const due = thresholdChargesDue({
      paygNano: paygTotal,
      chargedNano: counters.thresholdChargedNano,
      thresholdCents: account.thresholdCents,
    });
    const chargedNano = counters.thresholdChargedNano + BigInt(due * account.thresholdCents) * NANO_PER_CENT;
    await tx.accountPeriod.update({
      where: { accountId_period: { accountId: account.id, period } },
      data: {
        creditsUsedNano: counters.creditsUsedNano + creditsNano,
        paygNano: paygTotal,
        thresholdChargedNano: chargedNano,
        updatedAt: new Date(),
      },
    });
    if (due > 0) {
      // seq makes each charge exactly-once: (account, period, seq) is unique.
      const made = await tx.thresholdCharge.count({ where: { accountId: account.id, period } });
      await tx.thresholdCharge.createMany({
        data: Array.from({ length: due }, (_, i) => ({
          accountId: account.id,
          period,
          seq: made + i + 1,
          amountCents: account.thresholdCents,
        })),
      });
    }
    return {
      duplicate: false,
      costNano: rated.costNano,
      creditsNano,
      paygNano,
      thresholdChargesCreated: due,
    };
  });
}
