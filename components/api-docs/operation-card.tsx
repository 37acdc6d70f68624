import type { OperationView } from "@/lib/api/reference-view";
import { FieldsTable } from "./fields-table";

const METHOD_COLORS: Record<string, string> = {
  GET: "bg-blue-100 text-blue-900 dark:bg-blue-950 dark:text-blue-200",
  POST: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-200",
  PUT: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  DELETE: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

function Example({ title, label, children }: { title: string; label: string; children: string }) {
  return (
    <div>
      <p className="text-xs font-semibold tracking-wide text-gray-600 uppercase dark:text-gray-400">
        {title}
      </p>
      {/* Focusable, so keyboard users can scroll a long example. */}
      <pre
        tabIndex={0}
        role="region"
        aria-label={`${title}: ${label}`}
        className="mt-1 max-h-80 overflow-auto rounded-md bg-gray-100 p-3 text-xs dark:bg-gray-950"
      >
        <code>{children}</code>
      </pre>
    </div>
  );
}

/** One operation of the API reference: what to send, what comes back, how it fails, with examples. */
export function OperationCard({ op }: { op: OperationView }) {
  return (
    <article
      id={op.id}
      aria-labelledby={`${op.id}-title`}
      className="scroll-mt-4 rounded-lg border border-gray-200 bg-white p-5 dark:border-gray-800 dark:bg-gray-900"
    >
      <h3 id={`${op.id}-title`} className="flex flex-wrap items-center gap-2 font-mono text-sm">
        <span className={`rounded px-2 py-0.5 text-xs font-bold ${METHOD_COLORS[op.method] ?? ""}`}>
          {op.method}
        </span>{" "}
        <span className="break-all">{op.path}</span>
      </h3>
      <p className="mt-2 font-medium">{op.summary}</p>
      {op.description ? (
        <p className="mt-1 text-sm text-gray-700 dark:text-gray-300">{op.description}</p>
      ) : null}
      <p className="mt-2 text-sm">
        <span className="text-gray-600 dark:text-gray-400">Auth: </span>
        {op.auth}
      </p>
      <div className="mt-4 space-y-4">
        {op.parameters.length ? <FieldsTable caption="Parameters" rows={op.parameters} where /> : null}
        {op.body ? <FieldsTable caption="Request body (JSON)" rows={op.body} /> : null}
        <div>
          <p className="text-sm">
            <span className="font-semibold">{op.response.status}</span> {op.response.description}{" "}
            <span className="text-gray-600 dark:text-gray-400">({op.response.contentType})</span>
          </p>
          {op.response.fields.length ? (
            <details className="mt-2">
              <summary className="cursor-pointer text-sm text-gray-700 dark:text-gray-300">
                Response fields
              </summary>
              <div className="mt-2">
                <FieldsTable caption="Response body" rows={op.response.fields} />
              </div>
            </details>
          ) : null}
        </div>
        <div>
          <p className="text-xs font-semibold tracking-wide text-gray-600 uppercase dark:text-gray-400">
            Errors
          </p>
          <ul className="mt-1 space-y-0.5 text-sm">
            {op.errors.map((e) => (
              <li key={e.status}>
                <span className="font-semibold">{e.status}</span>{" "}
                <span className="font-mono text-xs">{e.codes.join(", ")}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="grid gap-3 lg:grid-cols-2">
          <Example title="Example request" label={`${op.method} ${op.path}`}>
            {op.exampleCall + (op.requestExample ? `\n\n${op.requestExample}` : "")}
          </Example>
          {op.responseExample ? (
            <Example title="Example response" label={`${op.method} ${op.path}`}>
              {op.responseExample}
            </Example>
          ) : null}
        </div>
      </div>
    </article>
  );
}
