import type { DbTx } from "@/lib/db/prisma";

/** "INV-202611-000042": the month it bills and a number from one sequence, never reused. */
export async function nextInvoiceNumber(tx: DbTx, period: Date): Promise<string> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('invoice_number_seq') AS n`;
  const month = period.toISOString().slice(0, 7).replace("-", "");
  return `INV-${month}-${row!.n.toString().padStart(6, "0")}`;
}
