import { periodStart } from "@/lib/kernel/period";

/** How many months of invoices and receipts the billing pages list. */
export const INVOICE_HISTORY_MONTHS = 3;

/**
 * The first day of the oldest month whose invoices are still listed: the 1st of the month
 * three months before the current one (in November: August 1st, so the usage invoices of
 * August, September and October, and the subscription periods that began since then).
 */
export function invoiceHistoryStart(now: Date): Date {
  const current = periodStart(now);
  return new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - INVOICE_HISTORY_MONTHS, 1));
}
