import type { Db } from "@/lib/db/prisma";
import { notFound } from "@/lib/kernel/errors";
import { invoiceHistoryStart } from "./history-window";
import { usageBreakdownHref } from "./usage-link";

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayBefore = (d: Date) => isoDay(new Date(d.getTime() - 86_400_000));

export interface InvoiceSummary {
  number: string;
  kind: "usage" | "subscription";
  status: "draft" | "open" | "paid" | "failed" | "void";
  /** First day of the period. */
  periodStart: string;
  /** Last day of the period (inclusive), as people read periods. */
  periodLast: string;
  subtotalCents: number;
  creditsCents: number;
  prepaidCents: number;
  amountDueCents: number;
  issuedAt: string;
  paidAt: string | null;
}

const summaryFields = {
  number: true,
  kind: true,
  status: true,
  periodStart: true,
  periodEnd: true,
  subtotalCents: true,
  creditsCents: true,
  prepaidCents: true,
  amountDueCents: true,
  issuedAt: true,
  paidAt: true,
} as const;

function toSummary(i: {
  number: string;
  kind: "usage" | "subscription";
  status: InvoiceSummary["status"];
  periodStart: Date;
  periodEnd: Date;
  subtotalCents: number;
  creditsCents: number;
  prepaidCents: number;
  amountDueCents: number;
  issuedAt: Date;
  paidAt: Date | null;
}): InvoiceSummary {
  return {
    number: i.number,
    kind: i.kind,
    status: i.status,
    periodStart: isoDay(i.periodStart),
    periodLast: dayBefore(i.periodEnd),
    subtotalCents: i.subtotalCents,
    creditsCents: i.creditsCents,
    prepaidCents: i.prepaidCents,
    amountDueCents: i.amountDueCents,
    issuedAt: i.issuedAt.toISOString(),
    paidAt: i.paidAt?.toISOString() ?? null,
  };
}

/** The account's invoices of the last 3 months (see invoiceHistoryStart), newest first; drafts never show. */
export async function listInvoices(
  db: Db,
  input: { accountId: string; now: Date },
): Promise<InvoiceSummary[]> {
  const invoices = await db.invoice.findMany({
    where: {
      accountId: input.accountId,
      periodStart: { gte: invoiceHistoryStart(input.now) },
      status: { not: "draft" },
    },
    orderBy: [{ periodStart: "desc" }, { issuedAt: "desc" }],
    select: summaryFields,
  });
  return invoices.map(toSummary);
}

export interface InvoiceDetail extends InvoiceSummary {
  buyer: { name: string; detail: string };
  lines: {
    position: number;
    kind: "usage" | "credits" | "rounding" | "threshold_payment" | "subscription" | "seats" | "storage";
    description: string;
    quantity: string;
    amountCents: number;
    /** The usage breakdown this line came from (usage lines). */
    usageHref: string | null;
  }[];
  /** Every attempt to charge this invoice, and the threshold payments it counts as paid. */
  payments: {
    kind: "threshold_charge" | "invoice_charge";
    status: "pending" | "succeeded" | "failed" | "canceled";
    amountCents: number;
    at: string;
    card: { brand: string; last4: string } | null;
    failureMessage: string | null;
  }[];
}

/**
 * One invoice of the account, with its lines, buyer and payments. An invoice of any other
 * account is "not found", so numbers reveal nothing across tenants.
 */
export async function invoiceDetail(
  db: Db,
  input: { accountId: string; number: string },
): Promise<InvoiceDetail> {
  const invoice = await db.invoice.findFirst({
    where: { accountId: input.accountId, number: input.number, status: { not: "draft" } },
    select: {
      ...summaryFields,
      accountId: true,
      lines: { orderBy: { position: "asc" } },
      payments: {
        where: { kind: "invoice_charge" },
        orderBy: { createdAt: "asc" },
        include: { paymentMethod: { select: { brand: true, last4: true } } },
      },
      account: {
        select: {
          user: { select: { name: true, email: true } },
          org: { select: { name: true, displayName: true } },
        },
      },
    },
  });
  if (!invoice) throw notFound(`Invoice ${input.number}`, { number: input.number });
  const org = invoice.account.org?.name ?? null;
  const thresholdPayments =
    invoice.kind === "usage"
      ? await db.thresholdCharge.findMany({
          where: {
            accountId: invoice.accountId,
            period: invoice.periodStart,
            payment: { status: "succeeded" },
          },
          orderBy: { seq: "asc" },
          include: { payment: { include: { paymentMethod: { select: { brand: true, last4: true } } } } },
        })
      : [];
  const card = (m: { brand: string; last4: string } | null) =>
    m ? { brand: m.brand, last4: m.last4 } : null;
  return {
    ...toSummary(invoice),
    buyer: invoice.account.org
      ? { name: invoice.account.org.displayName, detail: `Organization ${invoice.account.org.name}` }
      : { name: invoice.account.user!.name, detail: invoice.account.user!.email },
    lines: invoice.lines.map((l) => ({
      position: l.position,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity.toString(),
      amountCents: l.amountCents,
      usageHref:
        l.kind === "usage"
          ? usageBreakdownHref({ org, periodStart: invoice.periodStart, periodEnd: invoice.periodEnd })
          : null,
    })),
    payments: [
      ...thresholdPayments.map((t) => ({
        kind: "threshold_charge" as const,
        status: t.payment!.status,
        amountCents: t.payment!.amountCents,
        at: t.payment!.updatedAt.toISOString(),
        card: card(t.payment!.paymentMethod),
        failureMessage: null,
      })),
      ...invoice.payments.map((p) => ({
        kind: "invoice_charge" as const,
        status: p.status,
        amountCents: p.amountCents,
        at: p.updatedAt.toISOString(),
        card: card(p.paymentMethod),
        failureMessage: p.failureMessage,
      })),
    ],
  };
}
