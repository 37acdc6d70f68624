/** Whole months of raw usage events kept before the current one, unless USAGE_RETENTION_MONTHS says otherwise. */
export const DEFAULT_USAGE_RETENTION_MONTHS = 24;

/**
 * USAGE_RETENTION_MONTHS as lib/config/env validates it at start (read here without that module,
 * so request schemas that browsers load too can use it).
 */
export function usageRetentionMonths(): number {
  const months = Number(process.env.USAGE_RETENTION_MONTHS);
  return Number.isInteger(months) && months > 0 ? months : DEFAULT_USAGE_RETENTION_MONTHS;
}

/**
 * The first month still kept when `retentionMonths` whole months are kept before the current
 * one: events before it are refused at ingestion, and their partitions dropped.
 */
export function retentionHorizon(now: Date, retentionMonths: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - retentionMonths, 1));
}
