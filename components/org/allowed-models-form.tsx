"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { formatNano } from "@/lib/money/format";
import { previewAllowedModels } from "@/lib/org-controls/preview-models";
import { orgControlsApi } from "./api";
import { SaveFeedback } from "@/components/ui/save-feedback";

/**
 * Which models requests billed to the org may use: every model, or the ones ticked. Before
 * saving, what the choice would have refused of last month's requests. Read-only for non-admins.
 */
export function AllowedModelsForm({
  org,
  orgLabel,
  canEdit,
  models,
  initial,
  lastMonth,
  locale,
}: {
  org: string;
  orgLabel: string;
  canEdit: boolean;
  models: { id: string; name: string }[];
  initial: string[] | null;
  /** Last month's requests per model; costs in nano-dollars as strings. */
  lastMonth: { month: string; usage: { modelId: string; requests: number; costNano: string }[] };
  locale: string;
}) {
  const [saved, setSaved] = useState(initial);
  const [all, setAll] = useState(initial === null);
  const [picked, setPicked] = useState(() => new Set(initial ?? []));
  const [status, setStatus] = useState<string | null>(null);
  const proposal = all ? null : [...picked].sort();
  // A few dozen rows at most: cheap to recompute on every render.
  const preview = previewAllowedModels(
    proposal,
    lastMonth.usage.map((u) => ({ ...u, costNano: BigInt(u.costNano) })),
  );
  const names = new Map(models.map((m) => [m.id, m.name]));
  const save = useMutation({
    mutationFn: () => orgControlsApi.setAllowedModels(org, proposal),
    onSuccess: (r) => {
      setSaved(r.allowed);
      setStatus(
        r.allowed === null
          ? `Every model is allowed for requests billed to ${orgLabel}.`
          : `${r.allowed.length === 1 ? "1 model is" : `${r.allowed.length} models are`} allowed for requests billed to ${orgLabel}.`,
      );
    },
  });
  const unchanged = JSON.stringify(saved) === JSON.stringify(proposal);

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        setStatus(null);
        save.mutate();
      }}
    >
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={all}
          disabled={!canEdit}
          onChange={(e) => setAll(e.target.checked)}
          data-testid="allow-every-model"
        />
        Allow every model
      </label>
      {!all ? (
        <fieldset className="flex flex-col gap-1" data-testid="allowed-models">
          <legend className="mb-1 text-sm font-medium">Allowed models</legend>
          {models.map((m) => (
            <label key={m.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={picked.has(m.id)}
                disabled={!canEdit}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(m.id);
                  else next.delete(m.id);
                  setPicked(next);
                }}
              />
              {m.name} <span className="font-mono text-xs text-gray-600 dark:text-gray-400">{m.id}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <p className="text-sm" data-testid="models-preview">
        {preview.refused.requests === 0
          ? `In ${lastMonth.month}, nothing billed to ${orgLabel} would have been refused.`
          : `In ${lastMonth.month}, ${preview.refused.requests} of ${preview.total.requests} requests (${formatNano(preview.refused.costNano, locale)}) would have been refused: ${preview.refused.models
              .map((m) => `${names.get(m.id) ?? m.id} (${m.requests})`)
              .join(", ")}.`}
      </p>
      {canEdit ? (
        <div>
          <Button type="submit" disabled={save.isPending || unchanged || (proposal?.length ?? 1) === 0}>
            Save allowed models
          </Button>
        </div>
      ) : null}
      <SaveFeedback status={status} error={save.error} statusTestId="models-status" />
    </form>
  );
}
