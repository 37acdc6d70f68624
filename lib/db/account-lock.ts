import type { DbTx } from "@/lib/db/prisma";

/**
 * Locks an account's row for the rest of the transaction. The writes that must happen once per
 * account and event (subscribing, saving a card, closing a month) take it first, so that of two
 * parallel calls the second sees what the first wrote instead of writing it again.
 */
export async function lockAccount(tx: DbTx, accountId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM billing_accounts WHERE id = ${accountId}::uuid FOR UPDATE`;
}
