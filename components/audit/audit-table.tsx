import { LocalDate } from "@/components/ui/local-date";

export interface AuditRowView {
  id: string;
  createdAt: string;
  actor: { name: string; email: string } | null;
  actionText: string;
  target: string | null;
  change: string;
}

/** The audit log's entries, newest first: when, who, what, on what, before → after. */
export function AuditTable({ rows }: { rows: AuditRowView[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <thead className="border-b border-gray-200 text-xs text-gray-600 uppercase dark:border-gray-800 dark:text-gray-400">
          <tr>
            <th scope="col" className="py-2 pr-3">
              When
            </th>
            <th scope="col" className="py-2 pr-3">
              Who
            </th>
            <th scope="col" className="py-2 pr-3">
              Change
            </th>
            <th scope="col" className="py-2 pr-3">
              Target
            </th>
            <th scope="col" className="py-2">
              Before → after
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row">
              <td className="py-2 pr-3 whitespace-nowrap">
                <LocalDate iso={r.createdAt} />
              </td>
              <td className="py-2 pr-3" data-column="who">
                {r.actor ? (
                  <>
                    {r.actor.name}
                    <span className="block text-xs text-gray-600 dark:text-gray-400">{r.actor.email}</span>
                  </>
                ) : (
                  "System"
                )}
              </td>
              <td className="py-2 pr-3" data-column="action">
                {r.actionText}
              </td>
              <td className="py-2 pr-3" data-column="target">
                {r.target ?? ""}
              </td>
              <td className="py-2" data-column="change">
                {r.change}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
