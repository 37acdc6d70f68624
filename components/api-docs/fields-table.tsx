import type { FieldRow } from "@/lib/api/schema-fields";

/** The fields of a body or the parameters of an operation: name, type, required, notes. */
export function FieldsTable({
  caption,
  rows,
  where,
}: {
  caption: string;
  rows: (FieldRow & { in?: string })[];
  where?: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="pb-1 text-left text-xs font-semibold tracking-wide text-gray-600 uppercase dark:text-gray-400">
          {caption}
        </caption>
        <thead>
          <tr className="border-b border-gray-200 text-xs text-gray-600 dark:border-gray-800 dark:text-gray-400">
            <th scope="col" className="py-1 pr-3 font-medium">
              Name
            </th>
            {where ? (
              <th scope="col" className="py-1 pr-3 font-medium">
                In
              </th>
            ) : null}
            <th scope="col" className="py-1 pr-3 font-medium">
              Type
            </th>
            <th scope="col" className="py-1 font-medium">
              Notes
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.in ?? ""}${r.name}`}
              className="border-b border-gray-100 align-top dark:border-gray-800/60"
            >
              <td className="py-1 pr-3 font-mono text-xs break-all">
                {r.name}
                {r.required ? <span className="ml-1 text-red-700 dark:text-red-400">required</span> : null}
              </td>
              {where ? <td className="py-1 pr-3 text-xs">{r.in}</td> : null}
              <td className="py-1 pr-3 font-mono text-xs break-all">{r.type}</td>
              <td className="py-1 text-xs text-gray-700 dark:text-gray-300">{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
