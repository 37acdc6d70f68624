import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";

export interface CallerContext {
  /** The caller's provider order from their settings. */
  preferences: string[];
  /** Providers the caller stored their own key for. */
  withKey: Set<string>;
  /** Providers the paying account (the caller's, or the X-HF-Bill-To org's) disabled. */
  disabled: Set<string>;
  /** The billing clock: real time, plus the stored offset outside production. */
  now: Date;
}

/**
 * What choosing a provider needs, in one query. Membership of the org is not checked here:
 * authorizeRequest does that before anything is called or billed.
 */
export async function loadCallerContext(
  db: Db,
  input: { userId: string; billTo: string | null; production: boolean },
): Promise<CallerContext> {
  const {
    rows: [row],
  } = await poolOf(db).query<{
    preferences: string[];
    withKey: string[];
    disabled: string[];
    offsetMs: string | null;
  }>(sql`
    SELECT u.provider_preferences AS preferences,
           ARRAY(SELECT k.provider_id FROM provider_keys k WHERE k.user_id = u.id) AS "withKey",
           ARRAY(SELECT d.provider_id FROM disabled_providers d JOIN billing_accounts a ON a.id = d.account_id
                 WHERE CASE WHEN ${input.billTo}::text IS NULL THEN a.user_id = u.id
                            ELSE a.org_id = (SELECT o.id FROM organizations o WHERE o.name = ${input.billTo}) END) AS disabled,
           (SELECT c.offset_ms FROM billing_clock c WHERE c.id = 1) AS "offsetMs"
    FROM users u WHERE u.id = ${input.userId}::uuid`);
  if (!row) throw new Error(`User ${input.userId} not found.`);
  const offset = input.production ? 0 : Number(row.offsetMs ?? 0);
  return {
    preferences: row.preferences,
    withKey: new Set(row.withKey),
    disabled: new Set(row.disabled),
    now: new Date(Date.now() + offset),
  };
}
