"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { LocalDate } from "@/components/ui/local-date";
import { queryKeys } from "@/lib/api/query-keys";
import { providerKeysApi } from "./api";

export interface KeyProvider {
  id: string;
  displayName: string;
  billingIntegrated: boolean;
}

type Editing = { provider: string; mode: "add" | "replace" | "remove" } | null;

/** One row per provider: add, replace or remove the user's own key; keys show only their last 4 characters. */
export function ProviderKeysManager({ providers }: { providers: KeyProvider[] }) {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({ queryKey: queryKeys.providerKeys(), queryFn: providerKeysApi.list });
  const [editing, setEditing] = useState<Editing>(null);
  const [value, setValue] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const keys = new Map(data.keys.map((k) => [k.providerId, k]));

  const done = (message: string) => {
    setEditing(null);
    setValue("");
    setNotice(message);
    void queryClient.invalidateQueries({ queryKey: queryKeys.providerKeys() });
  };
  const save = useMutation({
    mutationFn: (input: { provider: string; key: string }) => providerKeysApi.save(input.provider, input.key),
    onSuccess: ({ key }) => done(`Key for ${name(key.providerId)} saved: it ends in ${key.last4}.`),
  });
  const remove = useMutation({
    mutationFn: providerKeysApi.remove,
    onSuccess: (_, provider) => done(`Key for ${name(provider)} removed.`),
  });
  const name = (id: string) => providers.find((p) => p.id === id)?.displayName ?? id;
  const error = save.error ?? remove.error;

  function start(next: Editing) {
    save.reset();
    remove.reset();
    setNotice(null);
    setValue("");
    setEditing(next);
  }

  function submit(event: FormEvent, provider: string) {
    event.preventDefault();
    save.mutate({ provider, key: value.trim() });
  }

  return (
    <div className="flex flex-col gap-3">
      {notice ? (
        <p role="status" className="text-sm text-green-800 dark:text-green-300" data-testid="key-notice">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : null}
      <ul className="divide-y divide-gray-200 dark:divide-gray-800">
        {providers.map((p) => {
          const key = keys.get(p.id);
          const edit = editing?.provider === p.id ? editing : null;
          return (
            <li key={p.id} className="flex flex-col gap-2 py-3" data-testid={`key-row-${p.id}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <p className="font-medium">
                    {p.displayName}
                    {!p.billingIntegrated ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-normal text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                        needs your own key
                      </span>
                    ) : null}
                  </p>
                  <p className="text-sm text-gray-600 dark:text-gray-400" data-testid="key-status">
                    {key ? (
                      <>
                        <span className="font-mono">••••{key.last4}</span> · updated{" "}
                        <LocalDate iso={key.updatedAt} />
                      </>
                    ) : p.billingIntegrated ? (
                      "No key: requests are routed and billed by us"
                    ) : (
                      `No key: requests to ${p.displayName} are refused until you add one`
                    )}
                  </p>
                </div>
                {!edit ? (
                  <div className="flex gap-2">
                    <Button
                      type="button"
                      variant="secondary"
                      onClick={() => start({ provider: p.id, mode: key ? "replace" : "add" })}
                    >
                      {key ? "Replace" : "Add key"}
                      <span className="sr-only"> for {p.displayName}</span>
                    </Button>
                    {key ? (
                      <Button
                        type="button"
                        variant="secondary"
                        onClick={() => start({ provider: p.id, mode: "remove" })}
                      >
                        Remove<span className="sr-only"> key for {p.displayName}</span>
                      </Button>
                    ) : null}
                  </div>
                ) : null}
              </div>
              {edit?.mode === "remove" ? (
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span>
                    Remove your {p.displayName} key? Requests to {p.displayName} will then be routed and
                    billed by us.
                  </span>
                  <Button
                    type="button"
                    variant="danger"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(p.id)}
                  >
                    Remove key
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
                    Cancel
                  </Button>
                </div>
              ) : edit ? (
                <form onSubmit={(e) => submit(e, p.id)} className="flex flex-wrap items-end gap-2">
                  <label className="text-sm font-medium">
                    {edit.mode === "replace" ? "New" : "Your"} {p.displayName} key
                    <input
                      type="password"
                      autoComplete="off"
                      spellCheck={false}
                      value={value}
                      onChange={(e) => setValue(e.target.value)}
                      minLength={8}
                      maxLength={512}
                      required
                      autoFocus
                      className="mt-1 block w-80 max-w-full rounded-md border border-gray-300 bg-white px-3 py-2 font-mono text-sm dark:border-gray-700 dark:bg-gray-900"
                    />
                  </label>
                  <Button type="submit" disabled={save.isPending}>
                    {save.isPending ? "Saving…" : "Save key"}
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
                    Cancel
                  </Button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
