import { raw, type RawSql } from "@/lib/db/sql";
import { ALERT_LEVELS } from "./levels";

/** The alert levels as a SQL row source with one column, `level`. */
export const alertLevelsSql: RawSql = raw(
  `(VALUES ${ALERT_LEVELS.map((l) => `(${l})`).join(", ")}) AS lv(level)`,
);

/** alertLevelsReached (lib/alerts/levels.ts) for one level, as a SQL boolean over SQL expressions. */
export function alertLevelReachedSql(e: { used: string; cap: string; level: string }): RawSql {
  return raw(`((${e.cap}) > 0 AND (${e.used}) * 100 >= (${e.cap}) * (${e.level}))`);
}
