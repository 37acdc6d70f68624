"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { queryKeys } from "@/lib/api/query-keys";
import { providerPreferencesApi } from "./api";

/** The full order shown: the saved preferences first, then every other provider in catalog order. */
function fullOrder(saved: string[], catalog: { id: string }[]) {
  return [...saved, ...catalog.map((p) => p.id).filter((id) => !saved.includes(id))];
}

/** Reorders the providers the router tries first, with buttons (keyboard and screen-reader friendly). */
export function ProviderPreferences() {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.providerPreferences(),
    queryFn: providerPreferencesApi.get,
  });
  const saved = fullOrder(data.providers, data.catalog);
  const [draft, setDraft] = useState<string[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const order = draft ?? saved;
  const names = new Map(data.catalog.map((p) => [p.id, p.displayName]));
  const dirty = draft !== null && draft.join() !== saved.join();

  const save = useMutation({
    mutationFn: providerPreferencesApi.save,
    onSuccess: (next) => {
      queryClient.setQueryData(queryKeys.providerPreferences(), next);
      setDraft(null);
      setStatus(
        next.providers.length
          ? "Order saved: the router tries these providers in this order."
          : "Reset to the default order.",
      );
    },
  });

  function move(index: number, by: -1 | 1) {
    const next = [...order];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    setDraft(next);
    setStatus(`${names.get(item!)} moved to position ${index + by + 1} of ${next.length}.`);
  }

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-gray-600 dark:text-gray-400">
        {data.providers.length === 0 ? "You use the default order." : "You set your own order."} When you name
        a model without a provider, the router tries them from the top.
      </p>
      <ol
        className="divide-y divide-gray-200 rounded-md border border-gray-200 dark:divide-gray-800 dark:border-gray-800"
        data-testid="provider-order"
      >
        {order.map((id, i) => (
          <li key={id} className="flex items-center justify-between gap-2 px-3 py-1.5 text-sm">
            <span>
              <span className="mr-2 inline-block w-6 text-right text-gray-500 tabular-nums dark:text-gray-400">
                {i + 1}.
              </span>
              <span data-testid="provider-name">{names.get(id)}</span>
            </span>
            <span className="flex gap-1">
              <Button
                type="button"
                variant="secondary"
                className="px-2 py-1"
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                <span aria-hidden="true">↑</span>
                <span className="sr-only">Move {names.get(id)} up</span>
              </Button>
              <Button
                type="button"
                variant="secondary"
                className="px-2 py-1"
                disabled={i === order.length - 1}
                onClick={() => move(i, 1)}
              >
                <span aria-hidden="true">↓</span>
                <span className="sr-only">Move {names.get(id)} down</span>
              </Button>
            </span>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button type="button" disabled={!dirty || save.isPending} onClick={() => save.mutate(order)}>
          {save.isPending ? "Saving…" : "Save order"}
        </Button>
        <Button
          type="button"
          variant="secondary"
          disabled={save.isPending || (data.providers.length === 0 && !dirty)}
          onClick={() => save.mutate([])}
        >
          Reset to default
        </Button>
      </div>
      <p role="status" aria-live="polite" className="text-sm text-gray-700 dark:text-gray-300">
        {status}
      </p>
      {save.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {save.error.message}
        </p>
      ) : null}
    </div>
  );
}
