import type { Db, DbOrTx } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { lockAccount } from "@/lib/db/account-lock";
import { AppError } from "@/lib/kernel/errors";
import { formatPeriod, nextPeriod, periodStart, previousPeriod } from "@/lib/kernel/period";
import type { ModelUsage } from "./preview-models";

/** The models requests billed to the account may use: null for every model, else their ids, sorted. */
export async function getAllowedModels(db: DbOrTx, accountId: string): Promise<{ allowed: string[] | null }> {
  const rows = await db.allowedModel.findMany({
    where: { accountId },
    select: { modelId: true },
    orderBy: { modelId: "asc" },
  });
  return { allowed: rows.length === 0 ? null : rows.map((r) => r.modelId) };
}

/**
 * Replaces the account's allowed models (null: every model). Each id must be a catalog model; an
 * empty list is refused (null allows all; switching the org off is not this). Under the account's
 * row lock, so parallel saves apply one after the other; audited when the set changes.
 */
export async function setAllowedModels(
  db: Db,
  input: { accountId: string; actorUserId: string; allowed: string[] | null },
): Promise<{ allowed: string[] | null }> {
  const wanted = input.allowed === null ? null : [...new Set(input.allowed)].sort();
  if (wanted) {
    const known = new Set(
      (await db.model.findMany({ where: { id: { in: wanted } }, select: { id: true } })).map((m) => m.id),
    );
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new AppError(
        400,
        "unknown_model",
        `Unknown model: ${unknown.join(", ")}. Use the ids GET /v1/models lists.`,
        { models: unknown },
      );
  }
  return db.$transaction(async (tx) => {
    await lockAccount(tx, input.accountId);
    const before = await getAllowedModels(tx, input.accountId);
    if (JSON.stringify(before.allowed) === JSON.stringify(wanted)) return before;
    await tx.allowedModel.deleteMany({ where: { accountId: input.accountId } });
    if (wanted)
      await tx.allowedModel.createMany({
        data: wanted.map((modelId) => ({ accountId: input.accountId, modelId })),
      });
    await audit(tx, {
      accountId: input.accountId,
      actorUserId: input.actorUserId,
      action: "allowed_models.update",
      before,
      after: { allowed: wanted },
    });
    return { allowed: wanted };
  });
}

/** Last month's requests billed to the account, per model (both modes), for previewAllowedModels. */
export async function lastMonthModelUsage(db: Db, input: { accountId: string; now: Date }) {
  const month = previousPeriod(periodStart(input.now));
  const rows = await db.usageDaily.groupBy({
    by: ["modelId"],
    where: { accountId: input.accountId, day: { gte: month, lt: nextPeriod(month) } },
    _sum: { requests: true, costNano: true },
  });
  const usage: ModelUsage[] = rows.map((r) => ({
    modelId: r.modelId,
    requests: r._sum.requests ?? 0,
    costNano: r._sum.costNano ?? 0n,
  }));
  return { month: formatPeriod(month), usage };
}
