import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { getOrgAuditLog } from "@/lib/api/contracts/previews-audit";
import { auditCsv } from "@/lib/audit/audit-csv";
import { AUDIT_PAGE_SIZE, AUDIT_EXPORT_MAX, listOrgAudit } from "@/lib/audit/org-log";
import { route } from "@/lib/api/route";

/**
 * The org's audit log, filtered (type, member, from/to UTC days included), newest first: a page
 * as JSON, or every filtered entry as CSV (`format=csv`). Admins only; never a key, only its last 4.
 */
export const GET = route(getOrgAuditLog, async ({ principal, params, query }) => {
  const db = getDb();
  const access = await resolveOrgAccess(db, {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  const { page, format, ...filters } = query;
  const csv = format === "csv";
  const result = await listOrgAudit(db, {
    orgId: access.org.id,
    accountId: access.account.id,
    filters,
    limit: csv ? AUDIT_EXPORT_MAX : AUDIT_PAGE_SIZE,
    offset: csv ? 0 : (page - 1) * AUDIT_PAGE_SIZE,
  });
  if (!csv) return { ...result, page, pageSize: AUDIT_PAGE_SIZE };
  return new Response(auditCsv(result.rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${access.org.name}-audit-log.csv"`,
      "cache-control": "no-store",
    },
  });
});
