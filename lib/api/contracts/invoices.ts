import { z } from "zod";
import { billingAccountQuery, invoiceParams, payInvoiceBody } from "@/lib/api/schemas";
import { defineContract, describes } from "@/lib/http/contract";
import type { InvoiceDetail, InvoiceSummary } from "@/lib/invoices/history";
import { EXAMPLE_IDS, isoDateTime, isoDay } from "./common";

const TAG = "Invoices";
const cents = z.int().meta({ description: "US cents." });

const summaryShape = {
  number: z.string().meta({ examples: ["INV-202611-000042"] }),
  kind: z.enum(["usage", "subscription"]),
  status: z.enum(["draft", "open", "paid", "failed", "void"]),
  periodStart: isoDay.meta({ description: "First day of the period." }),
  periodLast: isoDay.meta({ description: "Last day of the period (inclusive)." }),
  subtotalCents: cents,
  creditsCents: cents,
  prepaidCents: cents.meta({ description: "Threshold payments already made this period." }),
  amountDueCents: cents,
  issuedAt: isoDateTime,
  paidAt: isoDateTime.nullable(),
};
const summary = describes<InvoiceSummary>()(z.object(summaryShape));
const detail = describes<InvoiceDetail>()(
  z.object({
    ...summaryShape,
    buyer: z.object({ name: z.string(), detail: z.string() }),
    lines: z.array(
      z.object({
        position: z.int(),
        kind: z
          .enum(["usage", "credits", "rounding", "threshold_payment", "subscription", "seats", "storage"])
          .meta({
            description:
              "`rounding`: the difference between the rounded usage lines and the rounded credits plus pay-as-you-go, positive or negative.",
          }),
        description: z.string(),
        quantity: z.string(),
        amountCents: cents,
        usageHref: z.string().nullable().meta({ description: "The usage breakdown a usage line came from." }),
      }),
    ),
    payments: z.array(
      z.object({
        kind: z.enum(["threshold_charge", "invoice_charge"]),
        status: z.enum(["pending", "succeeded", "failed", "canceled"]),
        amountCents: cents,
        at: isoDateTime,
        card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
        failureMessage: z.string().nullable(),
      }),
    ),
  }),
);

const summaryExample = {
  number: "INV-202610-000042",
  kind: "usage" as const,
  status: "paid" as const,
  periodStart: "2026-10-01",
  periodLast: "2026-10-31",
  subtotalCents: 25437,
  creditsCents: 1000,
  prepaidCents: 20000,
  amountDueCents: 4437,
  issuedAt: "2026-11-01T00:05:00.000Z",
  paidAt: "2026-11-01T00:05:02.000Z",
};
const detailExample = {
  ...summaryExample,
  buyer: { name: "Acme AI", detail: "acme-ai" },
  lines: [
    {
      position: 1,
      kind: "usage" as const,
      description: "Inference usage: together, meta-llama/Llama-3.3-70B-Instruct",
      quantity: "1,204 requests",
      amountCents: 25437,
      usageHref: "/organizations/acme-ai/settings/inference-providers?from=2026-10-01&to=2026-11-01",
    },
    {
      position: 2,
      kind: "credits" as const,
      description: "Included credits",
      quantity: "1",
      amountCents: -1000,
      usageHref: null,
    },
  ],
  payments: [
    {
      kind: "invoice_charge" as const,
      status: "succeeded" as const,
      amountCents: 4437,
      at: "2026-11-01T00:05:02.000Z",
      card: { brand: "visa", last4: "4242" },
      failureMessage: null,
    },
  ],
};

export const listInvoices = defineContract({
  method: "GET",
  path: "/api/billing/invoices",
  tag: TAG,
  summary: "Invoices of the last 3 months",
  description: "Newest first; of the caller's account, or an organization's with `?org=` (admins).",
  auth: "user",
  query: billingAccountQuery,
  response: { status: 200, schema: z.object({ invoices: z.array(summary) }), description: "The invoices." },
  errors: ["org_not_found", "not_org_member", "forbidden"],
  example: { query: {}, response: { invoices: [summaryExample] } },
});

export const getInvoice = defineContract({
  method: "GET",
  path: "/api/billing/invoices/{number}",
  tag: TAG,
  summary: "One invoice with its lines and payments",
  auth: "user",
  params: invoiceParams,
  query: billingAccountQuery,
  response: { status: 200, schema: z.object({ invoice: detail }), description: "The invoice." },
  errors: ["org_not_found", "not_org_member", "forbidden", "not_found"],
  example: {
    params: { number: "INV-202610-000042" },
    query: { org: "acme-ai" },
    response: { invoice: detailExample },
  },
});

export const getInvoicePdf = defineContract({
  method: "GET",
  path: "/api/billing/invoices/{number}/pdf",
  tag: TAG,
  summary: "The invoice as a PDF",
  auth: "user",
  params: invoiceParams,
  query: billingAccountQuery,
  response: { status: 200, contentType: "application/pdf", description: "The invoice, as a download." },
  errors: ["org_not_found", "not_org_member", "forbidden", "not_found"],
  example: { params: { number: "INV-202610-000042" } },
});

export const getInvoiceReceipt = defineContract({
  method: "GET",
  path: "/api/billing/invoices/{number}/receipt",
  tag: TAG,
  summary: "The receipt of a paid invoice as a PDF",
  auth: "user",
  params: invoiceParams,
  query: billingAccountQuery,
  response: { status: 200, contentType: "application/pdf", description: "The receipt, as a download." },
  errors: ["org_not_found", "not_org_member", "forbidden", "not_found", "invoice_unpaid"],
  example: { params: { number: "INV-202610-000042" } },
});

export const payInvoice = defineContract({
  method: "POST",
  path: "/api/billing/invoices/{number}/pay",
  tag: TAG,
  summary: "Pay an open or failed invoice online",
  description:
    "With a new card or a card on file (exactly one). An invoice is charged at most once: while one attempt is being charged, another (a second tab, a double click, a retry) gets 409 `payment_in_progress`; once paid, 409 `invoice_paid`.",
  auth: "user",
  params: invoiceParams,
  query: billingAccountQuery,
  body: payInvoiceBody,
  response: { status: 200, schema: z.object({ invoice: detail }), description: "The invoice, paid." },
  errors: [
    "org_not_found",
    "not_org_member",
    "forbidden",
    "not_found",
    "invoice_paid",
    "invoice_void",
    "payment_in_progress",
    "card_declined",
    "card_country_unsupported",
  ],
  example: {
    params: { number: "INV-202610-000042" },
    body: { paymentMethodId: EXAMPLE_IDS.card },
    response: { invoice: detailExample },
  },
});
