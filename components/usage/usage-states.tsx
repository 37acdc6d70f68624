import { Button } from "@/components/ui/button";

export function UsageLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-3" data-testid="usage-loading">
      <span className="sr-only">Loading usage…</span>
      <div className="h-64 rounded-md bg-gray-100 dark:bg-gray-800" />
      <div className="h-6 rounded bg-gray-100 dark:bg-gray-800" />
      <div className="h-6 rounded bg-gray-100 dark:bg-gray-800" />
    </div>
  );
}

export function UsageError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-medium">The usage could not be loaded.</p>
      <p className="mt-1">{message}</p>
      <Button type="button" variant="secondary" className="mt-3" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}

/** No usage in the range: say how to make a first request (the router, an access token, bill_to for orgs). */
export function UsageEmpty({ billTo, apiBase }: { billTo: string | null; apiBase: string }) {
  const example = [
    `curl ${apiBase}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer $HF_TOKEN" \\`,
    ...(billTo ? [`  -H "X-HF-Bill-To: ${billTo}" \\`] : []),
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"model": "meta-llama/Llama-3.3-70B-Instruct", "messages": [{"role": "user", "content": "Hello"}]}'`,
  ].join("\n");
  return (
    <div
      className="rounded-md border border-dashed border-gray-300 p-6 dark:border-gray-700"
      data-testid="usage-empty"
    >
      <p className="font-medium">No usage yet in this range</p>
      <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
        Make a first request with an access token (create one under{" "}
        <a href="/settings/tokens" className="underline">
          Access tokens
        </a>
        ){billTo ? `, billed to ${billTo} with the X-HF-Bill-To header (bill_to in the SDKs)` : ""}. Usage
        shows here within a minute.
      </p>
      {/* Focusable so keyboard users can scroll it sideways. */}
      <pre
        tabIndex={0}
        aria-label="Example request"
        className="mt-3 overflow-x-auto rounded bg-gray-100 p-3 text-xs focus-visible:outline-2 focus-visible:outline-blue-600 dark:bg-gray-800"
      >
        <code>{example}</code>
      </pre>
    </div>
  );
}
