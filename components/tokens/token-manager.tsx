"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { TOKEN_PERMISSIONS } from "@/lib/auth/token-scope";
import { tokensApi } from "./api";
import { LocalDate } from "@/components/ui/local-date";
import { LIMIT_RESETS, type LimitReset } from "@/lib/auth/token-window";
import { parseDollarsToCents } from "@/lib/money/parse";
import { RESET_WORDS, TokenLimit } from "./token-limit";

const PERMISSION_WORDS: Record<(typeof TOKEN_PERMISSIONS)[number], string> = {
  inference: "call the router (inference)",
  read: "read the APIs",
  write: "change settings",
};

export function TokenManager({ locale }: { locale: string }) {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({ queryKey: queryKeys.tokens(), queryFn: tokensApi.list });
  const [name, setName] = useState("");
  const [days, setDays] = useState<number | null>(null);
  const [permissions, setPermissions] = useState<string[]>([...TOKEN_PERMISSIONS]);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [limitDollars, setLimitDollars] = useState("");
  const [limitReset, setLimitReset] = useState<LimitReset>("monthly");
  const [limitError, setLimitError] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: tokensApi.create,
    onSuccess: ({ token, record }) => {
      setCreated({ token, name: record.name });
      setName("");
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens() });
    },
  });
  const revoke = useMutation({
    mutationFn: tokensApi.revoke,
    onSuccess: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens() });
    },
  });

  function onCreate(event: FormEvent) {
    event.preventDefault();
    const limitCents = limitDollars.trim() ? parseDollarsToCents(limitDollars) : null;
    if (limitDollars.trim() && (limitCents === null || limitCents < 1))
      return setLimitError("Enter the limit in dollars, e.g. 5 or 0.50, or leave it empty.");
    setLimitError(null);
    create.mutate({
      name,
      expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
      permissions,
      ...(limitCents === null ? {} : { limitCents, limitReset }),
    });
  }

  return (
    <div className="flex flex-col gap-6">
      <Section title="Create a token">
        <form onSubmit={onCreate} className="flex flex-col gap-3">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <label className="block flex-1 text-sm font-medium">
              Name
              <input
                className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900"
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. laptop, ci"
                maxLength={100}
              />
            </label>
            <label className="block text-sm font-medium">
              Expires
              <select
                className="mt-1 block rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900"
                value={days ?? ""}
                onChange={(e) => setDays(e.target.value === "" ? null : Number(e.target.value))}
              >
                <option value="">Never</option>
                <option value="7">In 7 days</option>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
              </select>
            </label>
            <label className="block text-sm font-medium">
              Spending limit (USD, optional)
              <input
                inputMode="decimal"
                data-testid="new-token-limit"
                className="mt-1 block w-32 rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900"
                value={limitDollars}
                onChange={(e) => setLimitDollars(e.target.value)}
                placeholder="No limit"
              />
            </label>
            <label className="block text-sm font-medium">
              Limit resets
              <select
                data-testid="new-token-limit-reset"
                className="mt-1 block rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900"
                value={limitReset}
                onChange={(e) => setLimitReset(e.target.value as LimitReset)}
              >
                {LIMIT_RESETS.map((r) => (
                  <option key={r} value={r}>
                    {r} ({RESET_WORDS[r]})
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit" disabled={create.isPending || permissions.length === 0}>
              {create.isPending ? "Creating…" : "Create token"}
            </Button>
          </div>
          <fieldset className="flex flex-wrap gap-4 text-sm">
            <legend className="mb-1 font-medium">It may</legend>
            {TOKEN_PERMISSIONS.map((p) => (
              <label key={p} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={permissions.includes(p)}
                  onChange={(e) =>
                    setPermissions(
                      e.target.checked ? [...permissions, p] : permissions.filter((x) => x !== p),
                    )
                  }
                />
                {PERMISSION_WORDS[p]}
              </label>
            ))}
          </fieldset>
        </form>
        {limitError ? (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
            {limitError}
          </p>
        ) : null}
        {create.error ? (
          <p role="alert" data-testid="form-error" className="mt-2 text-sm text-red-700 dark:text-red-300">
            {create.error.message}
          </p>
        ) : null}
        {created ? (
          <div
            role="status"
            className="mt-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm dark:border-green-800 dark:bg-green-950"
          >
            <p className="font-medium">
              Token “{created.name}” created. Copy it now: it will not be shown again.
            </p>
            <code
              data-testid="new-token"
              className="mt-2 block break-all rounded bg-white p-2 font-mono dark:bg-gray-900"
            >
              {created.token}
            </code>
            <div className="mt-2 flex gap-2">
              <Button
                variant="secondary"
                type="button"
                onClick={() => void navigator.clipboard?.writeText(created.token)}
              >
                Copy
              </Button>
              <Button variant="secondary" type="button" onClick={() => setCreated(null)}>
                Done
              </Button>
            </div>
          </div>
        ) : null}
      </Section>

      <Section title="Your tokens">
        {data.tokens.length === 0 ? (
          <EmptyState title="No tokens yet">Create one to call the API or the router from code.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-gray-500 dark:text-gray-400">
                <tr>
                  <th className="py-2 pr-4 font-medium">Name</th>
                  <th className="py-2 pr-4 font-medium">Token</th>
                  <th className="py-2 pr-4 font-medium">Created</th>
                  <th className="py-2 pr-4 font-medium">Last used</th>
                  <th className="py-2 pr-4 font-medium">May</th>
                  <th className="py-2 pr-4 font-medium">Expires</th>
                  <th className="py-2 pr-4 font-medium">Spend and limit (UTC)</th>
                  <th className="py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.tokens.map((t) => (
                  <tr
                    key={t.id}
                    className="border-t border-gray-200 dark:border-gray-800"
                    data-testid="token-row"
                  >
                    <td className="py-2 pr-4">{t.name}</td>
                    <td className="py-2 pr-4 font-mono">hf_…{t.last4}</td>
                    <td className="py-2 pr-4">
                      <LocalDate iso={t.createdAt} />
                    </td>
                    <td className="py-2 pr-4">{t.lastUsedAt ? <LocalDate iso={t.lastUsedAt} /> : "Never"}</td>
                    <td className="py-2 pr-4">
                      {t.permissions.join(", ")}
                      {t.billToOrgs
                        ? ` · bills ${t.billToOrgs.length ? t.billToOrgs.join(", ") : "no org"}`
                        : ""}
                    </td>
                    <td className="py-2 pr-4">{t.expiresAt ? <LocalDate iso={t.expiresAt} /> : "Never"}</td>
                    <td className="py-2 pr-4">
                      <TokenLimit token={t} locale={locale} />
                    </td>
                    <td className="py-2 text-right">
                      {confirming === t.id ? (
                        <span className="inline-flex gap-2">
                          <Button
                            variant="danger"
                            onClick={() => revoke.mutate(t.id)}
                            disabled={revoke.isPending}
                          >
                            Revoke “{t.name}”
                          </Button>
                          <Button variant="secondary" onClick={() => setConfirming(null)}>
                            Cancel
                          </Button>
                        </span>
                      ) : (
                        <Button variant="secondary" onClick={() => setConfirming(t.id)}>
                          Revoke
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {revoke.error ? (
              <p
                role="alert"
                data-testid="form-error"
                className="mt-2 text-sm text-red-700 dark:text-red-300"
              >
                {revoke.error.message}
              </p>
            ) : null}
          </div>
        )}
      </Section>
    </div>
  );
}
