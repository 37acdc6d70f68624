import type { BillingOverview } from "@/lib/billing/overview";
import type { CardDto } from "@/lib/billing/card-dto";
import type { InvoiceDetail, InvoiceSummary } from "@/lib/invoices/history";

/** Calls the billing JSON API; a non-2xx answer becomes an Error with the API's own sentence. */
async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
  });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `Request failed (${res.status}). Try again.`);
  return body as T;
}

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
    overview: () => call<BillingOverview>(`/api/billing/overview${q}`),
    cards: () => call<{ cards: CardDto[] }>(`/api/billing/payment-methods${q}`),
    addCard: (card: CardFields) =>
      call<{ card: CardDto }>(`/api/billing/payment-methods${q}`, {
        method: "POST",
        body: JSON.stringify(card),
      }),
    setDefault: (id: string) =>
      call<{ cards: CardDto[] }>(`/api/billing/payment-methods/${encodeURIComponent(id)}/default${q}`, {
        method: "PUT",
      }),
    removeCard: (id: string) =>
      call<void>(`/api/billing/payment-methods/${encodeURIComponent(id)}${q}`, { method: "DELETE" }),
    subscribe: () => call<unknown>("/api/billing/subscription", { method: "POST" }),
    cancel: () => call<unknown>("/api/billing/subscription", { method: "DELETE" }),
    invoices: () => call<{ invoices: InvoiceSummary[] }>(`/api/billing/invoices${q}`),
    invoice: (number: string) => call<{ invoice: InvoiceDetail }>(inv(number)),
    pay: (number: string, body: { attemptId: string; card?: CardFields; paymentMethodId?: string }) =>
      call<{ invoice: InvoiceDetail }>(inv(number, "/pay"), { method: "POST", body: JSON.stringify(body) }),
    invoicePdfHref: (number: string) => inv(number, "/pdf"),
    receiptPdfHref: (number: string) => inv(number, "/receipt"),
  };
}

/** Where the invoice detail page of an account lives. */
export const invoicePageHref = (org: string | null, number: string) =>
  `${org ? `/organizations/${encodeURIComponent(org)}` : ""}/settings/billing/invoices/${encodeURIComponent(number)}`;
