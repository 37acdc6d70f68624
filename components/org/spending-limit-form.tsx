"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { queryKeys } from "@/lib/api/query-keys";
import { formatCents } from "@/lib/money/format";
import { parseDollarsToCents } from "@/lib/money/parse";
import { orgControlsApi } from "./api";
import { LimitPreview } from "./limit-preview";

/**
 * Set, change or remove the org's monthly cap on pay-as-you-go, with what it means for this
 * month. Members who are not admins see it read-only (the API refuses them too).
 */
export function SpendingLimitForm({
  org,
  orgLabel,
  canEdit,
  locale,
}: {
  org: string;
  orgLabel: string;
  canEdit: boolean;
  locale: string;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.spendingLimit(org),
    queryFn: () => orgControlsApi.spendingLimit(org),
    // Non-admins got the values from the page; the API is for admins, so they never refetch.
    staleTime: canEdit ? 30_000 : Infinity,
  });
  // The input is uncontrolled: what is typed before the page hydrates stays in it, and submit
  // reads the input itself. `value` only mirrors it, for the live warning below.
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState("");
  useEffect(() => setValue(inputRef.current?.value ?? ""), []);
  const [status, setStatus] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (limitCents: number | null) => orgControlsApi.setSpendingLimit(org, limitCents),
    onSuccess: (next) => {
      queryClient.setQueryData(queryKeys.spendingLimit(org), next);
      if (inputRef.current) inputRef.current.value = "";
      setValue("");
      setStatus(
        next.limitCents === null ? "Limit removed." : `Limit set to ${formatCents(next.limitCents, locale)}.`,
      );
      router.refresh(); // the month at a glance shows the room left
    },
  });

  const proposedOf = (text: string) => (text.trim() ? parseDollarsToCents(text) : null);
  const proposed = proposedOf(value);
  const resetDay = data.resetsAt.slice(0, 10);
  const spent = formatCents(data.spentCents, locale);

  function submit(event: FormEvent) {
    event.preventDefault();
    const typed = inputRef.current?.value ?? "";
    setValue(typed);
    const cents = proposedOf(typed);
    if (cents === null) return setInputError("Enter an amount in dollars, e.g. 250 or 99.50.");
    setInputError(null);
    setStatus(null);
    save.mutate(cents);
  }

  return (
    <div className="flex flex-col gap-3">
      <p data-testid="limit-current" className="text-sm">
        {data.limitCents === null ? (
          <>
            <strong>No limit.</strong> Pay-as-you-go billed to {orgLabel} is not capped ({spent} so far this
            month).
          </>
        ) : (
          <>
            <strong>{formatCents(data.limitCents, locale)} per month.</strong> {spent} of pay-as-you-go so far
            {data.reservedCents > 0
              ? `, ${formatCents(data.reservedCents, locale)} held by requests in flight`
              : ""}
            .
            {data.spentCents >= data.limitCents
              ? ` The limit is reached: routed requests billed to ${orgLabel} are refused until ${resetDay} (00:00 UTC) or until an admin raises it.`
              : ` Once a request could take it past ${formatCents(data.limitCents, locale)}, routed requests billed to ${orgLabel} are refused until ${resetDay} (00:00 UTC) or until an admin raises it.`}
          </>
        )}{" "}
        Monthly credits are used first and do not count; custom-key requests are billed by their provider and
        are not capped.
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <label className="text-sm font-medium">
          {data.limitCents === null ? "Monthly limit (USD)" : "New monthly limit (USD)"}
          <input
            ref={inputRef}
            inputMode="decimal"
            onChange={(e) => setValue(e.target.value)}
            disabled={!canEdit}
            placeholder={
              data.limitCents === null ? "e.g. 250" : formatCents(data.limitCents, "en-US").slice(1)
            }
            aria-invalid={inputError ? true : undefined}
            aria-describedby={inputError ? "limit-input-error" : undefined}
            className="mt-1 block w-40 rounded-md border border-gray-300 bg-white px-3 py-2 text-sm disabled:cursor-not-allowed disabled:opacity-60 dark:border-gray-700 dark:bg-gray-900"
          />
        </label>
        <Button type="submit" disabled={!canEdit || save.isPending}>
          {data.limitCents === null ? "Set limit" : "Change limit"}
        </Button>
        {data.limitCents !== null ? (
          <Button
            type="button"
            variant="secondary"
            disabled={!canEdit || save.isPending}
            onClick={() => save.mutate(null)}
          >
            Remove limit
          </Button>
        ) : null}
      </form>
      {canEdit && proposed !== null && proposed <= data.spentCents ? (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          {formatCents(proposed, locale)} is not above this month&apos;s pay-as-you-go ({spent}): routed
          requests billed to {orgLabel} would be refused at once, until {resetDay}.
        </p>
      ) : null}
      {canEdit ? <LimitPreview org={org} limitCents={proposed} locale={locale} /> : null}
      {!canEdit ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">Only admins can change the spending limit.</p>
      ) : null}
      {inputError ? (
        <p id="limit-input-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
          {inputError}
        </p>
      ) : null}
      {save.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {save.error.message}
        </p>
      ) : null}
      <p
        role="status"
        aria-live="polite"
        className="text-sm text-green-800 dark:text-green-300"
        data-testid="limit-status"
      >
        {status}
      </p>
    </div>
  );
}
