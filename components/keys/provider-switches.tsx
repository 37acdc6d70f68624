"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Switch } from "@/components/ui/switch";
import { queryKeys } from "@/lib/api/query-keys";
import { providerSwitchesApi } from "./api";
import { SaveFeedback } from "@/components/ui/save-feedback";

/**
 * The caller's own switch per provider: the router never sends their requests to one switched
 * off, wherever they are billed (an org's switches apply on top). Takes effect at once.
 */
export function ProviderSwitches() {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.providerSwitches(),
    queryFn: providerSwitchesApi.list,
    staleTime: 30_000,
  });
  const [status, setStatus] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: (input: { provider: string; enabled: boolean }) =>
      providerSwitchesApi.set(input.provider, input.enabled),
    onSuccess: (p) => {
      setStatus(`${p.displayName} switched ${p.enabled ? "on" : "off"} for your requests.`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.providerSwitches() });
    },
  });
  const off = data.providers.filter((p) => !p.enabled).length;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm" data-testid="own-providers-summary">
        {off === 0
          ? "The router may use every provider for your requests."
          : `${off} of ${data.providers.length} providers are switched off for your requests.`}
      </p>
      <ul className="divide-y divide-gray-200 dark:divide-gray-800">
        {data.providers.map((p) => (
          <li
            key={p.id}
            className="flex items-center justify-between gap-3 py-2"
            data-testid={`own-provider-${p.id}`}
          >
            <span id={`own-provider-label-${p.id}`} className="text-sm">
              {p.displayName}
              {!p.billingIntegrated ? (
                <span className="ml-2 text-xs text-gray-600 dark:text-gray-400">custom keys only</span>
              ) : null}
            </span>
            <Switch
              on={p.enabled}
              labelledBy={`own-provider-label-${p.id}`}
              disabled={toggle.isPending}
              onToggle={() => {
                setStatus(null);
                toggle.mutate({ provider: p.id, enabled: !p.enabled });
              }}
            />
          </li>
        ))}
      </ul>
      <SaveFeedback status={status} error={toggle.error} />
    </div>
  );
}
