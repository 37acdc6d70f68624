"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { LocalDate } from "@/components/ui/local-date";
import { SaveFeedback } from "@/components/ui/save-feedback";
import { queryKeys } from "@/lib/api/query-keys";
import type { TokenDto } from "@/lib/auth/tokens";
import { LIMIT_RESETS, type LimitReset } from "@/lib/auth/token-window";
import { formatCents } from "@/lib/money/format";
import { parseDollarsToCents } from "@/lib/money/parse";
import { tokensApi } from "./api";

export const RESET_WORDS: Record<LimitReset, string> = {
  daily: "per day",
  weekly: "per week (from Monday)",
  monthly: "per month",
  never: "in total",
};

/** A token's limit, its window's spend and reset, and a form for its owner to change it. */
export function TokenLimit({ token, locale }: { token: TokenDto; locale: string }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [dollars, setDollars] = useState("");
  const [reset, setReset] = useState<LimitReset>(token.limitReset ?? "monthly");
  const [status, setStatus] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (limit: { limitCents: number | null; limitReset: LimitReset | null }) =>
      tokensApi.setLimit(token.id, limit),
    onSuccess: (next) => {
      setEditing(false);
      setDollars("");
      setStatus(
        next.limitCents === null
          ? "Limit removed."
          : `Limit set to ${formatCents(next.limitCents, locale)} ${RESET_WORDS[next.limitReset!]}.`,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens() });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const cents = dollars.trim() ? parseDollarsToCents(dollars) : null;
    if (cents === null || cents < 1) return setInputError("Enter an amount in dollars, e.g. 5 or 0.50.");
    setInputError(null);
    setStatus(null);
    save.mutate({ limitCents: cents, limitReset: reset });
  }

  const w = token.window;
  return (
    <div className="flex flex-col gap-1" data-testid="token-limit">
      {token.limitCents === null || !w ? (
        <span>No limit</span>
      ) : (
        <span>
          <strong>{formatCents(w.spentCents, locale)}</strong> of {formatCents(token.limitCents, locale)}{" "}
          {RESET_WORDS[token.limitReset!]}
          {w.reservedCents > 0 ? ` (${formatCents(w.reservedCents, locale)} held)` : ""}
          {w.resetsAt ? (
            <>
              {" "}
              · resets <LocalDate iso={w.resetsAt} />
            </>
          ) : null}
        </span>
      )}
      {editing ? (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
          <label className="text-xs font-medium">
            Limit (USD)
            <input
              inputMode="decimal"
              value={dollars}
              onChange={(e) => setDollars(e.target.value)}
              placeholder={
                token.limitCents === null ? "e.g. 5" : formatCents(token.limitCents, "en-US").slice(1)
              }
              aria-invalid={inputError ? true : undefined}
              className="mt-1 block w-24 rounded-md border border-gray-300 bg-white px-2 py-1 text-sm dark:border-gray-700 dark:bg-gray-900"
            />
          </label>
          <label className="text-xs font-medium">
            Resets
            <select
              value={reset}
              onChange={(e) => setReset(e.target.value as LimitReset)}
              className="mt-1 block rounded-md border border-gray-300 bg-white px-2 py-1 text-sm dark:border-gray-700 dark:bg-gray-900"
            >
              {LIMIT_RESETS.map((r) => (
                <option key={r} value={r}>
                  {r === "never" ? "never" : r}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" disabled={save.isPending}>
            Save limit
          </Button>
          {token.limitCents !== null ? (
            <Button
              type="button"
              variant="secondary"
              disabled={save.isPending}
              onClick={() => save.mutate({ limitCents: null, limitReset: null })}
            >
              Remove limit
            </Button>
          ) : null}
          <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <span>
          <Button variant="secondary" onClick={() => setEditing(true)}>
            {token.limitCents === null ? "Set limit" : "Change limit"}
          </Button>
        </span>
      )}
      {inputError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {inputError}
        </p>
      ) : null}
      <SaveFeedback status={status} error={save.error} statusTestId="token-limit-status" />
    </div>
  );
}
