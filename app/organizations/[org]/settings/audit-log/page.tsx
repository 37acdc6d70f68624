import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { EmptyState, PageHeader, Section } from "@/components/ui/section";
import { formatCount } from "@/components/usage/format";
import { auditLogQuery } from "@/lib/api/schemas";
import { AUDIT_TYPES, AUDIT_TYPE_IDS } from "@/lib/audit/describe";
import { AUDIT_PAGE_SIZE, listOrgAudit } from "@/lib/audit/org-log";
import { requireOrgRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/http/locale";

export const metadata: Metadata = { title: "Organization audit log" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function OrgAuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  // Who changed what is for admins only: other members get the 403 page.
  const access = await requireOrgRole(org, "admin");
  const db = getDb();
  // Empty form fields arrive as "": they mean "no filter".
  const raw = Object.fromEntries(
    Object.entries(await searchParams).flatMap(([k, v]) => {
      const value = Array.isArray(v) ? v[0] : v;
      return value ? [[k, value]] : [];
    }),
  );
  const parsed = auditLogQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : auditLogQuery.parse({});
  const { page, format: _format, ...filters } = query;
  const [locale, members] = await Promise.all([
    requestLocale(),
    db.membership.findMany({
      where: { orgId: access.org.id },
      select: { user: { select: { id: true, name: true, email: true } } },
      orderBy: { user: { email: "asc" } },
    }),
  ]);
  const result = await listOrgAudit(db, {
    orgId: access.org.id,
    accountId: access.account.id,
    filters,
    limit: AUDIT_PAGE_SIZE,
    offset: (page - 1) * AUDIT_PAGE_SIZE,
    locale,
  });
  const base = `/organizations/${encodeURIComponent(access.org.name)}/settings/audit-log`;
  const filterParams = new URLSearchParams(
    Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const withPage = (n: number) => {
    const p = new URLSearchParams(filterParams);
    if (n > 1) p.set("page", String(n));
    return p.size ? `${base}?${p}` : base;
  };
  const exportHref = `/api/organizations/${encodeURIComponent(access.org.name)}/audit-log?${new URLSearchParams(
    [...filterParams, ["format", "csv"]],
  )}`;
  const pages = Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE));

  return (
    <>
      <PageHeader
        title={`${access.org.displayName} · Audit log`}
        description="Who changed the spending limit, providers, members' provider keys (never the key, only its last 4 characters), plan, seats and billing settings, and when."
      />
      <div className="flex flex-col gap-6">
        <Section title="Filters">
          <AuditFilters
            action={base}
            values={parsed.success ? filters : {}}
            types={AUDIT_TYPE_IDS.map((id) => ({ id, label: AUDIT_TYPES[id].label }))}
            members={members.map((m) => ({ id: m.user.id, label: `${m.user.name} (${m.user.email})` }))}
          />
          {!parsed.success ? (
            <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">
              Some filters were not understood ({parsed.error.issues.map((i) => i.message).join(" ")}), so
              every entry is shown.
            </p>
          ) : null}
        </Section>
        <Section
          title="Changes"
          description={
            <span data-testid="audit-count">
              {result.total === 1 ? "1 entry" : `${formatCount(result.total, locale)} entries`}
              {result.total > 0 ? `, page ${page} of ${pages}` : ""}.
            </span>
          }
        >
          <div className="mb-3 flex justify-end">
            <a href={exportHref} download className="text-sm text-blue-700 underline dark:text-blue-300">
              Export CSV
            </a>
          </div>
          {result.rows.length === 0 ? (
            <EmptyState title="No changes match these filters." />
          ) : (
            <AuditTable
              rows={result.rows.map((r) => ({
                ...r,
                // Ids of subscriptions and cards mean nothing here; the CSV keeps them.
                target: r.target && !UUID.test(r.target) ? r.target : null,
              }))}
            />
          )}
          {pages > 1 ? (
            <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
              {page > 1 ? (
                <Link href={withPage(page - 1)} className="text-blue-700 underline dark:text-blue-300">
                  Newer
                </Link>
              ) : (
                <span />
              )}
              {page < pages ? (
                <Link href={withPage(page + 1)} className="text-blue-700 underline dark:text-blue-300">
                  Older
                </Link>
              ) : null}
            </nav>
          ) : null}
        </Section>
      </div>
    </>
  );
}
