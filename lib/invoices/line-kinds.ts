/**
 * How an invoice's PDF and its page lay out a line: lines that adjust the subtotal rather than
 * add to it go below it. Those are the monthly credits, the rounding adjustment (positive or
 * negative: the rounded usage lines' difference from the rounded credits and pay-as-you-go,
 * lib/ledger/usage-invoice.ts) and the threshold payments already made.
 */
export const belowSubtotal = (kind: string): boolean =>
  kind === "credits" || kind === "rounding" || kind === "threshold_payment";
