"use client";

import { useQuery } from "@tanstack/react-query";
import { useDebounced } from "@/components/ui/use-debounced";
import { queryKeys } from "@/lib/api/query-keys";
import { formatNano } from "@/lib/money/format";
import { orgControlsApi } from "./api";
import { formatCount, formatDay } from "@/components/usage/format";
import { limitPreviewSentence } from "./preview-text";

const MAX_DAYS_LISTED = 7;

/**
 * How last month's traffic would have fared under the amount being typed, before it is saved:
 * replayed by the server from the month's billed requests (GET …/spending-limit/preview).
 */
export function LimitPreview({
  org,
  limitCents,
  locale,
}: {
  org: string;
  limitCents: number | null;
  locale: string;
}) {
  const settled = useDebounced(limitCents, 350);
  const preview = useQuery({
    queryKey: queryKeys.limitPreview(org, settled ?? -1),
    queryFn: () => orgControlsApi.limitPreview(org, settled!),
    enabled: settled !== null,
    staleTime: 5 * 60_000,
  });
  if (limitCents === null) return null;
  const current = settled === limitCents && preview.data?.limitCents === limitCents ? preview.data : null;
  const refusedDays = current?.days.filter((d) => d.refusedRequests > 0) ?? [];
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="limit-preview"
      className="rounded-md border border-gray-200 bg-gray-50 p-3 text-sm dark:border-gray-800 dark:bg-gray-950"
    >
      {preview.error && settled === limitCents ? (
        <p className="text-red-700 dark:text-red-300">
          Could not preview this limit: {preview.error.message}
        </p>
      ) : !current ? (
        <p className="text-gray-600 dark:text-gray-400">Checking last month&apos;s traffic…</p>
      ) : (
        <>
          <p data-testid="limit-preview-sentence">{limitPreviewSentence(current, locale)}</p>
          {refusedDays.length > 0 ? (
            <ul
              className="mt-2 flex flex-col gap-0.5 text-gray-700 dark:text-gray-300"
              data-testid="limit-preview-days"
            >
              {refusedDays.slice(0, MAX_DAYS_LISTED).map((d) => (
                <li key={d.day}>
                  {formatDay(d.day, locale)}: {formatCount(d.refusedRequests, locale)} of{" "}
                  {formatCount(d.requests, locale)} requests refused,{" "}
                  {formatNano(BigInt(d.refusedCostNano), locale)}
                </li>
              ))}
              {refusedDays.length > MAX_DAYS_LISTED ? (
                <li>and {refusedDays.length - MAX_DAYS_LISTED} more days</li>
              ) : null}
            </ul>
          ) : null}
          <p className="mt-2 text-xs text-gray-600 dark:text-gray-400">
            A replay of last month&apos;s routed requests at their actual cost, credits first. In-flight holds
            can make the real limit refuse slightly earlier.
          </p>
        </>
      )}
    </div>
  );
}
