import type { OutboxEmail } from "@/lib/alerts/feed";
import { EmptyState } from "@/components/ui/section";
import { LocalDate } from "@/components/ui/local-date";

/** Emails kept in the app because no SMTP server is configured (SMTP_URL). */
export function Outbox({ emails }: { emails: OutboxEmail[] }) {
  if (emails.length === 0) return <EmptyState title="No emails in your outbox" />;
  return (
    <ul className="flex flex-col gap-3" data-testid="outbox">
      {emails.map((e) => (
        <li key={e.id} className="rounded-md border border-gray-200 p-3 text-sm dark:border-gray-800">
          <p className="font-medium">{e.subject}</p>
          <p className="text-xs text-gray-500 dark:text-gray-400">
            <LocalDate iso={e.createdAt} />
          </p>
          <p className="mt-2 whitespace-pre-line text-gray-700 dark:text-gray-300">{e.body}</p>
        </li>
      ))}
    </ul>
  );
}
