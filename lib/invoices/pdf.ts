import PDFDocument from "pdfkit";
import { formatCents } from "@/lib/money/format";
import type { InvoiceDetail } from "./history";
import { belowSubtotal } from "./line-kinds";
import { SELLER } from "./seller";

type Doc = InstanceType<typeof PDFDocument>;

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN; // A4
const AMOUNT_COL = 110;

const card = (c: { brand: string; last4: string } | null) =>
  c ? `${c.brand[0]!.toUpperCase()}${c.brand.slice(1)} ending in ${c.last4}` : "no card";
const day = (iso: string) => iso.slice(0, 10);

function toBuffer(draw: (doc: Doc) => void, info: { Title: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { ...info, Author: SELLER.name } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(doc);
  doc.end();
  return done;
}

function header(doc: Doc, title: string, facts: [string, string][], invoice: InvoiceDetail) {
  doc.font("Helvetica-Bold").fontSize(20).text(title, MARGIN, MARGIN);
  doc.moveDown(0.5).font("Helvetica").fontSize(10);
  for (const [k, v] of facts) doc.text(`${k}: ${v}`);
  const top = doc.y + 15;
  doc.font("Helvetica-Bold").text("From", MARGIN, top);
  doc.font("Helvetica").text(SELLER.name).text(SELLER.lines.join("\n"));
  doc.font("Helvetica-Bold").text("Billed to", MARGIN + WIDTH / 2, top);
  doc
    .font("Helvetica")
    .text(invoice.buyer.name, MARGIN + WIDTH / 2)
    .text(invoice.buyer.detail, MARGIN + WIDTH / 2);
  doc.x = MARGIN;
  doc.y = Math.max(doc.y, top + 70);
}

/** One row: a description on the left, an amount right-aligned in the last column. */
function row(doc: Doc, left: string, amount: string, opts: { bold?: boolean } = {}) {
  const y = doc.y;
  doc.font(opts.bold ? "Helvetica-Bold" : "Helvetica");
  doc.text(left, MARGIN, y, { width: WIDTH - AMOUNT_COL - 10 });
  const after = doc.y;
  doc.text(amount, MARGIN + WIDTH - AMOUNT_COL, y, { width: AMOUNT_COL, align: "right" });
  doc.x = MARGIN;
  doc.y = Math.max(after, doc.y) + 4;
}

function rule(doc: Doc) {
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + WIDTH, doc.y)
    .strokeColor("#999999")
    .stroke();
  doc.y += 6;
}

function payments(doc: Doc, invoice: InvoiceDetail, onlySucceeded: boolean) {
  const list = invoice.payments.filter((p) => !onlySucceeded || p.status === "succeeded");
  doc.moveDown().font("Helvetica-Bold").fontSize(12).text("Payments", MARGIN).fontSize(10);
  rule(doc);
  if (list.length === 0) row(doc, "No payments.", "");
  for (const p of list) {
    const what = p.kind === "threshold_charge" ? "Threshold payment" : "Card payment";
    const status = p.status === "succeeded" ? "paid" : p.status;
    row(doc, `${day(p.at)}  ${what}, ${card(p.card)} (${status})`, formatCents(p.amountCents));
  }
}

/** The invoice as a PDF: seller, buyer, period, lines, totals and the payments made toward it. */
export function renderInvoicePdf(invoice: InvoiceDetail): Promise<Buffer> {
  return toBuffer(
    (doc) => {
      header(
        doc,
        "Invoice",
        [
          ["Invoice number", invoice.number],
          ["Issued", day(invoice.issuedAt)],
          ["Period", `${invoice.periodStart} to ${invoice.periodLast}`],
          ["Status", invoice.status],
        ],
        invoice,
      );
      doc
        .font("Helvetica-Bold")
        .fontSize(12)
        .text(invoice.kind === "usage" ? "Usage" : "Subscription")
        .fontSize(10);
      rule(doc);
      for (const l of invoice.lines.filter((l) => !belowSubtotal(l.kind))) {
        const qty = l.kind === "usage" ? ` (${l.quantity} requests)` : "";
        row(doc, `${l.description}${qty}`, formatCents(l.amountCents));
      }
      rule(doc);
      row(doc, "Subtotal", formatCents(invoice.subtotalCents));
      for (const l of invoice.lines.filter((l) => belowSubtotal(l.kind)))
        row(doc, l.description, formatCents(l.amountCents));
      row(doc, "Amount due", formatCents(invoice.amountDueCents), { bold: true });
      payments(doc, invoice, false);
      doc
        .moveDown()
        .font("Helvetica")
        .fontSize(8)
        .fillColor("#555555")
        .text(
          "Each line is its exact amount rounded half up to the cent, once. Monthly credits are the credits used; the " +
            "rounding adjustment is what the rounded usage lines differ from the rounded credits and pay-as-you-go, so " +
            "you pay your pay-as-you-go rounded once. The amount due is the sum of the lines. Amounts in USD.",
          MARGIN,
        );
    },
    { Title: `Invoice ${invoice.number}` },
  );
}

/** The receipt of a paid invoice: what was paid, when and with which card. */
export function renderReceiptPdf(invoice: InvoiceDetail): Promise<Buffer> {
  const paid = invoice.payments
    .filter((p) => p.status === "succeeded")
    .reduce((s, p) => s + p.amountCents, 0);
  return toBuffer(
    (doc) => {
      header(
        doc,
        "Receipt",
        [
          ["Receipt for invoice", invoice.number],
          ["Paid", invoice.paidAt ? day(invoice.paidAt) : "not paid"],
          ["Period", `${invoice.periodStart} to ${invoice.periodLast}`],
        ],
        invoice,
      );
      doc.font("Helvetica-Bold").fontSize(12).text("Summary").fontSize(10);
      rule(doc);
      row(doc, "Invoice total", formatCents(invoice.subtotalCents));
      if (invoice.creditsCents > 0) row(doc, "Monthly credits applied", formatCents(-invoice.creditsCents));
      for (const l of invoice.lines.filter((l) => l.kind === "rounding"))
        row(doc, l.description, formatCents(l.amountCents));
      row(doc, "Amount paid", formatCents(paid), { bold: true });
      payments(doc, invoice, true);
    },
    { Title: `Receipt for invoice ${invoice.number}` },
  );
}
