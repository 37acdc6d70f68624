"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { queryKeys } from "@/lib/api/query-keys";
import { orgControlsApi, type OrgProviderDto } from "./api";
import { ProviderPreview } from "./provider-preview";
import { SaveFeedback } from "@/components/ui/save-feedback";

/**
 * A switch per provider for requests billed to the org. Switching one off asks first, naming
 * what stops working; switching back on takes effect at once. Read-only for non-admins.
 */
export function ProviderToggles({
  org,
  orgLabel,
  canEdit,
  modelsByProvider,
  locale,
}: {
  org: string;
  orgLabel: string;
  canEdit: boolean;
  /** Display names of the models each provider serves. */
  modelsByProvider: Record<string, string[]>;
  locale: string;
}) {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.orgProviders(org),
    queryFn: () => orgControlsApi.providers(org),
    staleTime: canEdit ? 30_000 : Infinity,
  });
  const [confirming, setConfirming] = useState<OrgProviderDto | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: (input: { provider: string; enabled: boolean }) =>
      orgControlsApi.setProviderEnabled(org, input.provider, input.enabled),
    onSuccess: (p) => {
      setConfirming(null);
      setStatus(`${p.displayName} ${p.enabled ? "enabled" : "disabled"} for requests billed to ${orgLabel}.`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.orgProviders(org) });
    },
  });
  const models = confirming ? (modelsByProvider[confirming.id] ?? []) : [];
  const disabledCount = data.providers.filter((p) => !p.enabled).length;

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm" data-testid="providers-summary">
        {disabledCount === 0
          ? "All providers are allowed."
          : `${disabledCount} of ${data.providers.length} providers are switched off for requests billed to ${orgLabel}.`}
      </p>
      <ul className="divide-y divide-gray-200 dark:divide-gray-800">
        {data.providers.map((p) => (
          <li
            key={p.id}
            className="flex items-center justify-between gap-3 py-2"
            data-testid={`provider-${p.id}`}
          >
            <span id={`provider-label-${p.id}`} className="text-sm">
              {p.displayName}
              <span className="ml-2 text-xs text-gray-600 dark:text-gray-400">
                {(modelsByProvider[p.id] ?? []).length === 1
                  ? "1 model"
                  : `${(modelsByProvider[p.id] ?? []).length} models`}
                {!p.billingIntegrated ? " · custom keys only" : ""}
              </span>
            </span>
            <Switch
              on={p.enabled}
              labelledBy={`provider-label-${p.id}`}
              disabled={!canEdit || toggle.isPending}
              onToggle={() => {
                setStatus(null);
                toggle.reset();
                if (p.enabled) setConfirming(p);
                else toggle.mutate({ provider: p.id, enabled: true });
              }}
            />
          </li>
        ))}
      </ul>
      <SaveFeedback status={status} error={toggle.error} statusTestId="providers-status" />
      <ConfirmDialog
        open={confirming !== null}
        title={`Switch off ${confirming?.displayName ?? ""} for ${orgLabel}?`}
        confirmLabel={`Switch off ${confirming?.displayName ?? ""}`}
        pending={toggle.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => confirming && toggle.mutate({ provider: confirming.id, enabled: false })}
      >
        <p>
          Every request billed to {orgLabel} (X-HF-Bill-To: {org}) that uses {confirming?.displayName} will be
          refused with <code>provider_disabled</code>, including requests made with members&apos; own{" "}
          {confirming?.displayName} keys. Members&apos; personal usage is not affected.
        </p>
        {models.length > 0 ? (
          <>
            <p className="mt-2 font-medium">
              Stops working for {orgLabel} on {confirming?.displayName} (
              {models.length === 1 ? "1 model" : `${models.length} models`}):
            </p>
            <ul className="mt-1 max-h-40 list-disc overflow-y-auto pl-5" data-testid="stops-working">
              {models.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        ) : null}
        {confirming ? (
          <ProviderPreview org={org} orgLabel={orgLabel} provider={confirming.id} locale={locale} />
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
