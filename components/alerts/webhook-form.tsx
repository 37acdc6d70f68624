"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import type { WebhookSetting } from "@/lib/alerts/feed";
import { queryKeys } from "@/lib/api/query-keys";
import { alertsApi } from "./api";

/**
 * One account's alert webhook: set (a new signing secret, shown once), replace, or remove.
 * The input is read from the form on submit, so text typed before hydration is kept.
 */
export function WebhookForm({ setting }: { setting: WebhookSetting }) {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const done = () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications() });
  const save = useMutation({
    mutationFn: alertsApi.setWebhook,
    onSuccess: (saved) => {
      setSecret(saved.secret);
      done();
    },
  });
  const remove = useMutation({ mutationFn: alertsApi.removeWebhook, onSuccess: done });
  const id = `webhook-${setting.org ?? "me"}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const url = String(new FormData(event.currentTarget).get("url") ?? "").trim();
    save.mutate({ org: setting.org, url });
  }

  return (
    <div className="flex flex-col gap-2" data-testid={id}>
      <p className="text-sm font-medium">{setting.label}</p>
      {setting.webhook ? (
        <p className="text-sm text-gray-700 dark:text-gray-300">
          Posting to <code className="break-all">{setting.webhook.url}</code>, signed with the secret ending
          in <code>{setting.webhook.secretLast4}</code>.
        </p>
      ) : (
        <p className="text-sm text-gray-600 dark:text-gray-400">
          No webhook: alerts are shown here and emailed.
        </p>
      )}
      <form onSubmit={onSubmit} className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <label className="block flex-1 text-sm" htmlFor={`${id}-url`}>
          Webhook URL
          <input
            id={`${id}-url`}
            name="url"
            type="url"
            required
            defaultValue={setting.webhook?.url ?? ""}
            placeholder="https://example.com/hooks/billing"
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900"
          />
        </label>
        <Button type="submit" disabled={save.isPending}>
          {setting.webhook ? "Replace" : "Add webhook"}
        </Button>
        {setting.webhook ? (
          <Button
            type="button"
            variant="secondary"
            disabled={remove.isPending}
            onClick={() => remove.mutate(setting.org)}
          >
            Remove
          </Button>
        ) : null}
      </form>
      {save.error || remove.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {(save.error ?? remove.error)!.message}
        </p>
      ) : null}
      {secret ? (
        <div
          role="status"
          className="rounded-md border border-green-300 bg-green-50 p-3 text-sm dark:border-green-800 dark:bg-green-950"
        >
          <p className="font-medium">Saved. Copy the signing secret now: it will not be shown again.</p>
          <code
            data-testid="webhook-secret"
            className="mt-2 block break-all rounded bg-white p-2 font-mono dark:bg-gray-900"
          >
            {secret}
          </code>
          <p className="mt-2 text-gray-600 dark:text-gray-400">
            Each call carries{" "}
            <code>x-billing-signature: t=&lt;unix time&gt;,v1=&lt;HMAC-SHA256 of “t.body”&gt;</code> and a
            delivery id in <code>x-billing-delivery</code>; failed calls are retried with backoff.
          </p>
        </div>
      ) : null}
    </div>
  );
}
