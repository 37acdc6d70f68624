import { csvCell } from "@/lib/kernel/csv";
import type { AuditRow } from "./org-log";

export const AUDIT_CSV_HEADER = [
  "when_utc",
  "who_name",
  "who_email",
  "action",
  "description",
  "target",
  "change",
  "before",
  "after",
];

/** The filtered audit log as CSV, newest first; before/after are the recorded JSON, secrets removed. */
export function auditCsv(rows: AuditRow[]): string {
  const line = (r: AuditRow) =>
    [
      r.createdAt,
      r.actor?.name ?? "System",
      r.actor?.email ?? "",
      r.action,
      r.actionText,
      r.target ?? "",
      r.change,
      r.before === null || r.before === undefined ? "" : JSON.stringify(r.before),
      r.after === null || r.after === undefined ? "" : JSON.stringify(r.after),
    ]
      .map(csvCell)
      .join(",");
  return [AUDIT_CSV_HEADER.join(","), ...rows.map(line)].join("\r\n") + "\r\n";
}
