import type { DbOrTx } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/db/generated/client.ts";

export interface AuditEntry {
  accountId: string;
  actorUserId: string | null;
  /** e.g. "org.spending_limit.update", "provider_key.delete" */
  action: string;
  target?: string;
  before: Prisma.InputJsonValue | null;
  after: Prisma.InputJsonValue | null;
}

/** Records who changed what, when, from what to what. Call it in the same transaction as the change. */
export function audit(db: DbOrTx, entry: AuditEntry) {
  return db.auditLog.create({
    data: {
      accountId: entry.accountId,
      actorUserId: entry.actorUserId,
      action: entry.action,
      target: entry.target ?? null,
      before: entry.before ?? undefined,
      after: entry.after ?? undefined,
    },
  });
}
