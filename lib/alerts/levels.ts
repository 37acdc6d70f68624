/** The percentages of a cap (a month's credits, a spending limit) at which an alert fires, once a month each. */
export const ALERT_LEVELS = [50, 80, 100] as const;

/** The top level: what a refusal for want of room fires, whatever spend alone has reached. */
export const FULL_LEVEL = ALERT_LEVELS[ALERT_LEVELS.length - 1]!;

/** "50%, 80% and 100%", for the pages that explain alerts. */
export const ALERT_LEVELS_TEXT = `${ALERT_LEVELS.slice(0, -1).join("%, ")}% and ${FULL_LEVEL}%`;

/**
 * THE rule for alert levels: the levels `usedNano` has reached of `capNano`, none without a
 * positive cap. Settlement fires them in SQL with alertLevelsReachedSql (lib/alerts/levels-sql.ts),
 * its twin; lib/alerts/levels.int.test.ts runs both on the same inputs.
 */
export function alertLevelsReached(usedNano: bigint, capNano: bigint | null): number[] {
  if (capNano === null || capNano <= 0n) return [];
  return ALERT_LEVELS.filter((level) => usedNano * 100n >= capNano * BigInt(level));
}
