import type { AlertItem } from "@/lib/alerts/feed";
import { ALERT_LEVELS_TEXT } from "@/lib/alerts/levels";
import { EmptyState } from "@/components/ui/section";
import { LocalDate } from "@/components/ui/local-date";

const statusWords: Record<string, string> = {
  pending: "sending",
  sent: "sent",
  outbox: "in your outbox",
  failed: "failed",
};

/** The in-app notifications: newest first, each with how its emails and webhook call went. */
export function AlertList({ alerts }: { alerts: AlertItem[] }) {
  if (alerts.length === 0) {
    return (
      <EmptyState title="No alerts yet">
        You are alerted at {ALERT_LEVELS_TEXT} of your monthly credits and of a spending limit.
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-gray-200 dark:divide-gray-800" data-testid="alert-list">
      {alerts.map((a) => (
        <li key={a.id} className="py-3" data-testid="alert">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className={`font-medium ${a.level >= 100 ? "text-red-700 dark:text-red-300" : ""}`}>
              {a.title}
            </p>
            <span className="text-xs text-gray-500 dark:text-gray-400">
              <LocalDate iso={a.createdAt} />
            </span>
          </div>
          <p className="mt-1 text-sm text-gray-700 dark:text-gray-300">{a.text}</p>
          {a.deliveries.length > 0 ? (
            <p className="mt-1 text-xs text-gray-500 dark:text-gray-400">
              {a.deliveries
                .map(
                  (d) =>
                    `${d.channel === "email" ? `Email to ${d.recipient}` : "Webhook"}: ${statusWords[d.status] ?? d.status}` +
                    (d.status === "failed" && d.lastError ? ` (${d.lastError})` : ""),
                )
                .join(" · ")}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
