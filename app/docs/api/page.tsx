import type { Metadata } from "next";
import Link from "next/link";
import { OperationCard } from "@/components/api-docs/operation-card";
import { PageHeader } from "@/components/ui/section";
import { ERROR_CODES } from "@/lib/http/error-codes";
import { referenceView } from "@/lib/api/reference-view";

export const metadata: Metadata = { title: "API reference" };

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The HTTP API reference, rendered from the same contracts as /api/openapi.json. Public. */
export default function ApiReferencePage() {
  const tags = referenceView();
  return (
    <div className="mx-auto max-w-5xl p-4 md:p-6">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link href="/settings/billing" className="text-blue-700 underline dark:text-blue-400">
          Inference billing
        </Link>
      </nav>
      <PageHeader
        title="API reference"
        description={
          <>
            Every endpoint of this app. Machine-readable as OpenAPI 3.1 at{" "}
            <a href="/api/openapi.json" className="text-blue-700 underline dark:text-blue-400">
              /api/openapi.json
            </a>
            .
          </>
        }
      />
      <section aria-labelledby="basics" className="mb-8 space-y-2 text-sm text-gray-700 dark:text-gray-300">
        <h2 id="basics" className="text-base font-semibold text-gray-900 dark:text-gray-100">
          Basics
        </h2>
        <p>
          Authenticate with <code>Authorization: Bearer &lt;token&gt;</code> (create a token at{" "}
          <Link href="/settings/tokens" className="text-blue-700 underline dark:text-blue-400">
            Access tokens
          </Link>
          ) or, in the browser, the session cookie. The router (<code>/v1</code>) takes access tokens only;
          usage ingestion takes a service token.
        </p>
        <p>
          Errors are <code>{'{"error": {"code", "message", ...details}}'}</code> with a stable snake_case
          code; amounts in nano-dollars travel as decimal strings. Sign-in endpoints under{" "}
          <code>/api/auth/*</code> belong to next-auth and are not part of this API.
        </p>
        <details>
          <summary className="cursor-pointer">All error codes</summary>
          <ul className="mt-2 space-y-1">
            {Object.entries(ERROR_CODES).map(([code, info]) => (
              <li key={code}>
                <span className="font-semibold">{info.status}</span> <code>{code}</code>: {info.when}
              </li>
            ))}
          </ul>
        </details>
      </section>
      <nav aria-label="Endpoints" className="mb-8">
        <ul className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2">
          {tags.map((tag) => (
            <li key={tag.name}>
              <a href={`#${slug(tag.name)}`} className="font-semibold">
                {tag.name}
              </a>
              <ul className="mt-1 space-y-0.5">
                {tag.operations.map((op) => (
                  <li key={op.id}>
                    <a
                      href={`#${op.id}`}
                      className="font-mono text-xs text-blue-700 underline dark:text-blue-400"
                    >
                      {op.method} {op.path}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
      <div className="space-y-10">
        {tags.map((tag) => (
          <section key={tag.name} aria-labelledby={slug(tag.name)} className="space-y-4">
            <h2 id={slug(tag.name)} className="text-xl font-semibold">
              {tag.name}
            </h2>
            {tag.operations.map((op) => (
              <OperationCard key={op.id} op={op} />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
