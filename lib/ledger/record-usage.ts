import type { Db } from "@/lib/db/prisma";
import { refusalError, settleUsage, type UsageInput } from "./settle";

export type { UsageInput } from "./settle";

export interface RecordedUsage {
  duplicate: boolean;
  costNano: bigint;
  creditsNano: bigint;
  paygNano: bigint;
  /** Threshold charges this request made due (to be collected by collectThresholdCharges). */
  thresholdChargesCreated: number;
}

/**
 * Records and bills one request (settleUsage with a batch of one). A refused request (Free
 * credits used up, provider not billable) writes nothing and throws the refusal as an error.
 */
export async function recordUsage(db: Db, input: UsageInput): Promise<RecordedUsage> {
  const { results, thresholdChargesCreated } = await settleUsage(db, [input]);
  const result = results[0]!;
  if (result.status === "refused") throw refusalError(result);
  return {
    duplicate: result.status === "duplicate",
    costNano: result.costNano,
    creditsNano: result.creditsNano,
    paygNano: result.paygNano,
    thresholdChargesCreated,
  };
}
