import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import type { InvoiceDetail } from "./history";
import { renderInvoicePdf, renderReceiptPdf } from "./pdf";
import { SELLER } from "./seller";

async function textOf(pdf: Buffer): Promise<string> {
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

const invoice: InvoiceDetail = {
  number: "INV-202610-000042",
  kind: "usage",
  status: "paid",
  periodStart: "2026-10-01",
  periodLast: "2026-10-31",
  subtotalCents: 25_601,
  creditsCents: 200,
  prepaidCents: 20_000,
  amountDueCents: 5_401,
  issuedAt: "2026-11-01T00:00:05.000Z",
  paidAt: "2026-11-01T00:00:06.000Z",
  buyer: { name: "Pat Example", detail: "pat@example.com" },
  lines: [
    {
      position: 0,
      kind: "usage",
      description: "DeepSeek R1 on Together AI",
      quantity: "26",
      amountCents: 25_601,
      usageHref: "/x",
    },
    {
      position: 1,
      kind: "credits",
      description: "Monthly credits applied",
      quantity: "1",
      amountCents: -200,
      usageHref: null,
    },
    {
      position: 2,
      kind: "threshold_payment",
      description: "Threshold payment 1, already charged",
      quantity: "1",
      amountCents: -10_000,
      usageHref: null,
    },
    {
      position: 3,
      kind: "threshold_payment",
      description: "Threshold payment 2, already charged",
      quantity: "1",
      amountCents: -10_000,
      usageHref: null,
    },
  ],
  payments: [
    {
      kind: "threshold_charge",
      status: "succeeded",
      amountCents: 10_000,
      at: "2026-10-05T12:00:00.000Z",
      card: { brand: "visa", last4: "4242" },
      failureMessage: null,
    },
    {
      kind: "threshold_charge",
      status: "succeeded",
      amountCents: 10_000,
      at: "2026-10-06T12:00:00.000Z",
      card: { brand: "visa", last4: "4242" },
      failureMessage: null,
    },
    {
      kind: "invoice_charge",
      status: "failed",
      amountCents: 5_401,
      at: "2026-11-01T00:00:05.000Z",
      card: { brand: "visa", last4: "0341" },
      failureMessage: "declined",
    },
    {
      kind: "invoice_charge",
      status: "succeeded",
      amountCents: 5_401,
      at: "2026-11-02T09:00:00.000Z",
      card: { brand: "mastercard", last4: "4444" },
      failureMessage: null,
    },
  ],
};

describe("invoice and receipt PDFs", () => {
  it("the invoice names seller, buyer, number, period, every line, the totals and the payments", async () => {
    const text = await textOf(await renderInvoicePdf(invoice));
    for (const expected of [
      "Invoice",
      SELLER.name,
      "Pat Example",
      "pat@example.com",
      "INV-202610-000042",
      "2026-10-01 to 2026-10-31",
      "DeepSeek R1 on Together AI (26 requests)",
      "$256.01",
      "-$2.00",
      "Threshold payment 2, already charged",
      "-$100.00",
      "Amount due",
      "$54.01",
      "Visa ending in 0341 (failed)",
      "Mastercard ending in 4444 (paid)",
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it("the receipt shows what was paid, with which cards, and leaves failed attempts out", async () => {
    const text = await textOf(await renderReceiptPdf(invoice));
    for (const expected of [
      "Receipt",
      "Receipt for invoice: INV-202610-000042",
      "Paid: 2026-11-01",
      "2026-10-01 to 2026-10-31",
      SELLER.name,
      "Pat Example",
      "Amount paid",
      "$254.01", // $200.00 in threshold payments + $54.01 charged at month end
      "Mastercard ending in 4444 (paid)",
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain("0341");
  });

  it("shows the rounding adjustment as its own line below the subtotal, the credits line as the credits used", async () => {
    // Issue 17 #5: $1.005 and $3.015 of usage round to $1.01 + $3.02; the $2.00 of credits stay
    // $2.00 and the cent the lines rounded up is given back on its own line.
    const rounded: InvoiceDetail = {
      ...invoice,
      subtotalCents: 403,
      creditsCents: 200,
      prepaidCents: 0,
      amountDueCents: 202,
      lines: [
        {
          position: 0,
          kind: "usage",
          description: "Model A on P",
          quantity: "1",
          amountCents: 101,
          usageHref: null,
        },
        {
          position: 1,
          kind: "usage",
          description: "Model B on P",
          quantity: "1",
          amountCents: 302,
          usageHref: null,
        },
        ...[
          ["credits", "Monthly credits applied", -200],
          ["rounding", "Rounding adjustment", -1],
        ].map(([kind, description, amountCents], i) => ({
          position: 2 + i,
          kind: kind as "credits" | "rounding",
          description: description as string,
          quantity: "1",
          amountCents: amountCents as number,
          usageHref: null,
        })),
      ],
      payments: [],
    };
    const text = await textOf(await renderInvoicePdf(rounded));
    const at = (s: string) => {
      expect(text, s).toContain(s);
      return text.indexOf(s);
    };
    expect(at("Subtotal")).toBeLessThan(at("Monthly credits applied"));
    expect(at("Monthly credits applied")).toBeLessThan(at("Rounding adjustment"));
    expect(at("Rounding adjustment")).toBeLessThan(at("Amount due"));
    expect(text).toMatch(/Monthly credits applied\s*-\$2\.00/);
    expect(text).toMatch(/Rounding adjustment\s*-\$0\.01/);
    expect(text).toMatch(/Amount due\s*\$2\.02/);

    const receipt = await textOf(await renderReceiptPdf({ ...rounded, status: "paid" }));
    expect(receipt).toMatch(/Rounding adjustment\s*-\$0\.01/);
  });
});
