import Link from "next/link";
import { Button } from "@/components/ui/button";

export interface AuditFilterValues {
  type?: string;
  member?: string;
  from?: string;
  to?: string;
}

const field =
  "mt-1 block rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900";

/**
 * The audit log's filters as a plain GET form: they live in the URL (shareable, back button),
 * and work before or without JavaScript.
 */
export function AuditFilters({
  action,
  values,
  types,
  members,
}: {
  action: string;
  values: AuditFilterValues;
  types: { id: string; label: string }[];
  members: { id: string; label: string }[];
}) {
  return (
    <form
      method="get"
      action={action}
      className="flex flex-wrap items-end gap-3"
      aria-label="Filter the audit log"
    >
      <label className="text-sm font-medium">
        <span id="audit-type-label">Type of change</span>
        <select
          name="type"
          aria-labelledby="audit-type-label"
          defaultValue={values.type ?? ""}
          className={field}
        >
          <option value="">All changes</option>
          {types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium">
        <span id="audit-member-label">Member</span>
        <select
          name="member"
          aria-labelledby="audit-member-label"
          defaultValue={values.member ?? ""}
          className={field}
        >
          <option value="">Everyone</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
          <option value="system">System (renewals, operator)</option>
        </select>
      </label>
      <label className="text-sm font-medium">
        From (UTC)
        <input type="date" name="from" defaultValue={values.from ?? ""} className={field} />
      </label>
      <label className="text-sm font-medium">
        To (UTC, included)
        <input type="date" name="to" defaultValue={values.to ?? ""} className={field} />
      </label>
      <Button type="submit">Filter</Button>
      <Link href={action} className="py-2 text-sm text-blue-700 underline dark:text-blue-300">
        Clear filters
      </Link>
    </form>
  );
}
