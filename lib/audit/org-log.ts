import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AUDIT_TYPES, describeAuditEntry, redact, type AuditType } from "./describe";

export interface AuditFilters {
  type?: AuditType;
  /** A member's user id, or "system" for changes no person made (renewals, the operator CLI). */
  member?: string;
  /** UTC days, both included. */
  from?: string;
  to?: string;
}

export interface AuditRow {
  id: string;
  createdAt: string;
  actor: { id: string; name: string; email: string } | null;
  action: string;
  /** In words, e.g. "Changed the spending limit". */
  actionText: string;
  target: string | null;
  /** Before → after in words, e.g. "$50.00 → No limit". */
  change: string;
  before: unknown;
  after: unknown;
}

interface DbRow {
  id: string;
  created_at: Date;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  actor_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The org's audit log: changes recorded on its billing account (limit, providers, plan, seats,
 * cards, threshold), and its members' changes to their own provider keys made while they were
 * members (provider and last 4 characters only). Newest first; `limit`/`offset` page it.
 */
export async function listOrgAudit(
  db: Db,
  input: {
    orgId: string;
    accountId: string;
    filters: AuditFilters;
    limit: number;
    offset: number;
    locale?: string;
  },
): Promise<{ rows: AuditRow[]; total: number }> {
  const f = input.filters;
  const actions = f.type ? [...AUDIT_TYPES[f.type].actions] : null;
  const system = f.member === "system";
  const actor = f.member && !system ? f.member : null;
  const from = f.from ? new Date(f.from) : null;
  const to = f.to ? new Date(Date.parse(f.to) + DAY_MS) : null;
  // One statement: the total of the filtered entries, and the page of them (none past the end).
  const { rows } = await poolOf(db).query<DbRow & { total: string }>(sql`
    WITH hits AS (
      SELECT l.* FROM audit_log l
      WHERE (l.account_id = ${input.accountId}::uuid
             OR (l.action LIKE 'provider_key.%' AND EXISTS (
                   SELECT 1 FROM memberships m JOIN billing_accounts a ON a.user_id = m.user_id
                   WHERE m.org_id = ${input.orgId}::uuid AND a.id = l.account_id
                     AND m.user_id = l.actor_user_id AND l.created_at >= m.created_at)))
        AND (${actions}::text[] IS NULL OR l.action = ANY(${actions}::text[]))
        AND (${actor}::uuid IS NULL OR l.actor_user_id = ${actor}::uuid)
        AND (NOT ${system}::boolean OR l.actor_user_id IS NULL)
        AND (${from}::timestamptz IS NULL OR l.created_at >= ${from}::timestamptz)
        AND (${to}::timestamptz IS NULL OR l.created_at < ${to}::timestamptz)
    )
    SELECT c.total::text AS total, p.*
    FROM (SELECT count(*) AS total FROM hits) c
    LEFT JOIN LATERAL (
      SELECT h.id, h.created_at, h.action, h.target, h.before, h.after,
             u.id AS actor_id, u.name AS actor_name, u.email AS actor_email
      FROM hits h LEFT JOIN users u ON u.id = h.actor_user_id
      ORDER BY h.created_at DESC, h.id DESC
      LIMIT ${input.limit} OFFSET ${input.offset}
    ) p ON true`);
  const page = rows.filter((r) => r.id !== null);
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: page.map((r) => {
      const before = redact(r.before);
      const after = redact(r.after);
      const words = describeAuditEntry({ action: r.action, before, after }, input.locale);
      return {
        id: r.id,
        createdAt: r.created_at.toISOString(),
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? "", email: r.actor_email ?? "" } : null,
        action: r.action,
        actionText: words.action,
        target: r.target,
        change: words.change,
        before,
        after,
      };
    }),
  };
}

/** Entries per page of the audit log page and API. */
export const AUDIT_PAGE_SIZE = 50;
/** The most entries one CSV export holds (newest first); narrow the filters for older ones. */
export const AUDIT_EXPORT_MAX = 100_000;
