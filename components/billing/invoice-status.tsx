const STYLES = {
  paid: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300",
  open: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  draft: "bg-gray-100 text-gray-700 dark:bg-gray-800 dark:text-gray-300",
  void: "bg-gray-100 text-gray-700 dark:bg-gray-800 dark:text-gray-300",
} as const;

const LABELS = { paid: "Paid", open: "Open", failed: "Failed", draft: "Draft", void: "Void" } as const;

export function InvoiceStatus({ status }: { status: keyof typeof STYLES }) {
  return (
    <span
      className={`rounded px-2 py-0.5 text-xs font-medium ${STYLES[status]}`}
      data-testid="invoice-status"
    >
      {LABELS[status]}
    </span>
  );
}
