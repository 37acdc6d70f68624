import type { Db } from "@/lib/db/prisma";
import type { PaymentProcessor } from "./processor";

/** The account's customer at the processor, created (and remembered) on first need. */
export async function ensureCustomer(
  db: Db,
  processor: PaymentProcessor,
  accountId: string,
): Promise<string> {
  const account = await db.billingAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { processorCustomerRef: true, user: { select: { email: true } } },
  });
  if (account.processorCustomerRef) return account.processorCustomerRef;
  const ref = await processor.createCustomer({ accountId, email: account.user?.email ?? null });
  await db.billingAccount.update({ where: { id: accountId }, data: { processorCustomerRef: ref } });
  return ref;
}
