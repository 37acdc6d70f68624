import { raw, type RawSql } from "@/lib/db/sql";
import type { TokenScope } from "./token-scope";

/** tokenRefusal(...) === null for the inference permission, as a SQL boolean over SQL expressions. */
export function tokenAllowsInferenceSql(e: Record<keyof TokenScope | "billTo" | "now", string>): RawSql {
  return raw(`((${e.expiresAt}) IS NULL OR (${e.expiresAt}) > (${e.now}))
      AND 'inference' = ANY(${e.permissions})
      AND ((${e.billTo}) IS NULL OR (${e.billToAny}) OR (${e.billTo}) = ANY(${e.billToOrgs}))`);
}
