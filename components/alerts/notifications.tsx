"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Section } from "@/components/ui/section";
import { ALERT_LEVELS_TEXT } from "@/lib/alerts/levels";
import { queryKeys } from "@/lib/api/query-keys";
import { AlertList } from "./alert-list";
import { alertsApi } from "./api";
import { Outbox } from "./outbox";
import { WebhookForm } from "./webhook-form";

export function Notifications({ smtpConfigured }: { smtpConfigured: boolean }) {
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.notifications(),
    queryFn: alertsApi.notifications,
  });
  return (
    <div className="flex flex-col gap-6">
      <Section
        title="Alerts"
        description={`At ${ALERT_LEVELS_TEXT} of the monthly credits and of a spending limit, once a month each: for your account and the organizations you administer.`}
      >
        <AlertList alerts={data.alerts} />
      </Section>
      {smtpConfigured ? null : (
        <Section
          title="Email outbox"
          description="No mail server is configured here (SMTP_URL), so alert emails addressed to you are kept in this outbox."
        >
          <Outbox emails={data.outbox} />
        </Section>
      )}
      <Section title="Webhooks" description="Also post each alert, as signed JSON, to a URL of yours.">
        <div className="flex flex-col gap-6">
          {data.webhooks.map((w) => (
            <WebhookForm key={w.org ?? "me"} setting={w} />
          ))}
        </div>
      </Section>
    </div>
  );
}
