import type { Db } from "@/lib/db/prisma";
import { formatPeriod, nextPeriod, periodStart, previousPeriod } from "@/lib/kernel/period";
import { notFound } from "@/lib/kernel/errors";
import { previewProviderDisable, type ProviderDisablePreview } from "./preview-provider";

/**
 * The preview of switching a provider off for an account: the catalog's active provider/model
 * pairs, the account's disabled providers, and the previous month (by the billing clock's `now`)
 * from the daily rollups, the same rows the usage breakdown and invoices add up.
 */
export async function previewProviderForAccount(
  db: Db,
  input: { accountId: string; providerId: string; now: Date },
): Promise<ProviderDisablePreview & { displayName: string }> {
  const month = previousPeriod(periodStart(input.now));
  const [provider, served, disabled, usage] = await Promise.all([
    db.provider.findUnique({ where: { id: input.providerId }, select: { displayName: true } }),
    db.providerModel.findMany({
      where: { active: true },
      select: { providerId: true, modelId: true, model: { select: { displayName: true } } },
    }),
    db.disabledProvider.findMany({ where: { accountId: input.accountId }, select: { providerId: true } }),
    db.usageDaily.groupBy({
      by: ["providerId", "modelId"],
      where: { accountId: input.accountId, day: { gte: month, lt: nextPeriod(month) } },
      _sum: { requests: true, costNano: true },
    }),
  ]);
  if (!provider) throw notFound(`Provider ${input.providerId}`, { provider: input.providerId });
  return {
    displayName: provider.displayName,
    ...previewProviderDisable({
      providerId: input.providerId,
      month: formatPeriod(month),
      served: served.map((s) => ({
        providerId: s.providerId,
        modelId: s.modelId,
        modelName: s.model.displayName,
      })),
      disabled: new Set(disabled.map((d) => d.providerId)),
      usage: usage.map((u) => ({
        providerId: u.providerId,
        modelId: u.modelId,
        requests: u._sum.requests ?? 0,
        costNano: u._sum.costNano ?? 0n,
      })),
    }),
  };
}
