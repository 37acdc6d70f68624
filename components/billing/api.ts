import { fetchJson } from "@/components/ui/fetch-json";
import type { BillingOverview } from "@/lib/ledger/overview";
import type { CardDto } from "@/lib/payments/card-dto";
import type { InvoiceDetail, InvoiceSummary } from "@/lib/invoices/history";

export interface CardFields {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** The billing API of one account: the caller's own (org null) or an org's (admins). */
export function billingApi(org: string | null) {
  const q = org ? `?org=${encodeURIComponent(org)}` : "";
  const inv = (n: string, suffix = "") => `/api/billing/invoices/${encodeURIComponent(n)}${suffix}${q}`;
  return {
    overview: () => fetchJson<BillingOverview>(`/api/billing/overview${q}`),
    cards: () => fetchJson<{ cards: CardDto[] }>(`/api/billing/payment-methods${q}`),
    addCard: (card: CardFields) =>
      fetchJson<{ card: CardDto }>(`/api/billing/payment-methods${q}`, {
        method: "POST",
        body: JSON.stringify(card),
      }),
    setDefault: (id: string) =>
      fetchJson<{ cards: CardDto[] }>(`/api/billing/payment-methods/${encodeURIComponent(id)}/default${q}`, {
        method: "PUT",
      }),
    removeCard: (id: string) =>
      fetchJson<void>(`/api/billing/payment-methods/${encodeURIComponent(id)}${q}`, { method: "DELETE" }),
    subscribe: () => fetchJson<unknown>("/api/billing/subscription", { method: "POST" }),
    cancel: () => fetchJson<unknown>("/api/billing/subscription", { method: "DELETE" }),
    invoices: () => fetchJson<{ invoices: InvoiceSummary[] }>(`/api/billing/invoices${q}`),
    invoice: (number: string) => fetchJson<{ invoice: InvoiceDetail }>(inv(number)),
    pay: (number: string, body: { card?: CardFields; paymentMethodId?: string }) =>
      fetchJson<{ invoice: InvoiceDetail }>(inv(number, "/pay"), {
        method: "POST",
        body: JSON.stringify(body),
      }),
    invoicePdfHref: (number: string) => inv(number, "/pdf"),
    receiptPdfHref: (number: string) => inv(number, "/receipt"),
  };
}

/** Where the invoice detail page of an account lives. */
export const invoicePageHref = (org: string | null, number: string) =>
  `${org ? `/organizations/${encodeURIComponent(org)}` : ""}/settings/billing/invoices/${encodeURIComponent(number)}`;
