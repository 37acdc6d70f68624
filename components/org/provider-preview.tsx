"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/api/query-keys";
import { orgControlsApi } from "./api";
import { providerShareSentence } from "./preview-text";
import { formatCount } from "@/components/usage/format";

/**
 * Inside the switch-off confirmation: the models no provider the org still allows would serve,
 * and the share of last month's traffic this provider served (GET …/providers/{id}/preview).
 */
export function ProviderPreview({
  org,
  orgLabel,
  provider,
  locale,
}: {
  org: string;
  orgLabel: string;
  provider: string;
  locale: string;
}) {
  const preview = useQuery({
    queryKey: queryKeys.providerPreview(org, provider),
    queryFn: () => orgControlsApi.providerPreview(org, provider),
    staleTime: 60_000,
  });
  if (preview.error)
    return (
      <p className="mt-2 text-red-700 dark:text-red-300">
        Could not load the preview: {preview.error.message}
      </p>
    );
  const p = preview.data;
  if (!p) return <p className="mt-2 text-gray-600 dark:text-gray-400">Checking last month&apos;s traffic…</p>;
  const lost = p.modelsLosingLastProvider;
  return (
    <div className="mt-3 flex flex-col gap-2" data-testid="provider-preview">
      <p data-testid="provider-share">{providerShareSentence(p, orgLabel, locale)}</p>
      {lost.length === 0 ? (
        <p data-testid="no-model-lost">
          Every model {p.displayName} serves stays available through another allowed provider.
        </p>
      ) : (
        <>
          <p className="font-medium">
            {lost.length === 1 ? "1 model loses" : `${lost.length} models lose`} its last allowed provider and
            would stop working for {orgLabel} altogether:
          </p>
          <ul className="max-h-32 list-disc overflow-y-auto pl-5" data-testid="models-losing-last-provider">
            {lost.map((m) => (
              <li key={m.id}>
                {m.name}
                {m.lastMonthRequests > 0
                  ? ` (${formatCount(m.lastMonthRequests, locale)} requests last month)`
                  : ""}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
