import { expect, test } from "@playwright/test";
import {
  admin,
  billingMonth,
  cents,
  closeMonth,
  ingest,
  newUser,
  pdfText,
  signInAs,
} from "./billing-helpers";

// Every test signs in as a user of its own (see billing-helpers.ts), so they run in parallel
// with each other and with the other specs.
test.use({ storageState: { cookies: [], origins: [] } });
// Each operator CLI call starts a process that attaches to the database: give the flows room.
test.describe.configure({ timeout: 120_000 });

test("add a card that succeeds and cards that are declined, make another the default, remove one", async ({
  page,
}) => {
  await signInAs(page, await newUser("free"));
  await expect(page.getByText("we place a temporary $10.00 authorization hold and release it")).toBeVisible();
  const addCard = async (number: string) => {
    await page.getByLabel("Card number").fill(number);
    await page.getByLabel("Expiry (MM/YY)").fill("12/30");
    await page.getByLabel("Security code").fill("123");
    await page.getByRole("button", { name: "Add card" }).click();
  };

  await addCard("4242 4242 4242 4242");
  await expect(page.getByRole("status")).toHaveText(
    "Card added (visa ending in 4242). The $10.00 hold was released.",
  );
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await expect(page.getByTestId("card-row")).toContainText("4242");
  await expect(page.getByTestId("card-row")).toContainText("Default");

  await addCard("4000 0000 0000 0002");
  await expect(page.getByTestId("form-error")).toContainText("Your card was declined");
  await expect(page.getByTestId("form-error")).toContainText("3-D Secure");
  await addCard("4000 0000 0000 3220");
  await expect(page.getByTestId("form-error")).toContainText("recurring payments");
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await addCard("4000 0035 6000 0008");
  await expect(page.getByTestId("form-error")).toContainText("cards issued in India");
  await expect(page.getByTestId("form-error")).toContainText("another country");
  await expect(page.getByTestId("card-row")).toHaveCount(1);

  await addCard("5555 5555 5555 4444");
  await expect(page.getByTestId("card-row")).toHaveCount(2);
  const mastercard = page.getByTestId("card-row").filter({ hasText: "4444" });
  await mastercard.getByRole("button", { name: "Make default" }).click();
  await expect(mastercard).toContainText("Default");
  await page.getByRole("button", { name: "Remove visa ending in 4242" }).click();
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await expect(page.getByTestId("card-row")).toContainText("4444");
  await expect(page.getByTestId("card-row")).toContainText("Default");
});

test("subscribe to PRO, then cancel: it stays PRO until the period's end and says so", async ({ page }) => {
  await signInAs(page, await newUser("free"), "4242424242424242");
  await expect(page.getByTestId("plan-name")).toHaveText("Free");
  await page.getByRole("button", { name: "Subscribe to PRO" }).click();
  await expect(page.getByTestId("plan-name")).toHaveText("PRO");
  await expect(page.getByTestId("subscription-status")).toContainText("PRO renews on");
  const row = page.getByTestId("invoice-row").filter({ hasText: "Subscription" });
  await expect(row.getByTestId("invoice-status")).toHaveText("Paid");
  await expect(row.getByTestId("invoice-amount-due")).toHaveText("$9.00");

  await page.getByRole("button", { name: "Cancel PRO" }).click();
  await page.getByRole("button", { name: "Cancel at period end" }).click();
  await expect(page.getByTestId("subscription-status")).toContainText(
    "PRO is cancelled. It stays active until",
  );
  await page.reload();
  await expect(page.getByTestId("plan-name")).toHaveText("PRO");
  await expect(page.getByTestId("subscription-status")).toContainText("then your account returns to Free");
});

test("subscribing without a card says what to do", async ({ page }) => {
  await signInAs(page, await newUser("free"));
  await page.getByRole("button", { name: "Subscribe to PRO" }).click();
  await expect(page.getByTestId("form-error")).toContainText("There is no card on file");
  await expect(page.getByTestId("plan-name")).toHaveText("Free");
  // An invoice number that is not this account's is simply not found.
  expect((await page.goto("/settings/billing/invoices/INV-209901-000001"))!.status()).toBe(404);
});

test("usage past the billing threshold is charged at once and shown with what accrued toward the next", async ({
  page,
}) => {
  const user = await newUser("pro");
  await signInAs(page, user, "4242424242424242");
  await admin("set-threshold", "--email", user.email, "--cents", "500");
  // $10.00 of usage at the billing clock's now: $2.00 of credits, $8.00 pay-as-you-go, so one $5.00 charge and $3.00 accrued.
  await admin(
    "record-usage",
    ...["--email", user.email, "--provider", "together", "--model", "deepseek-ai/DeepSeek-R1"],
    ...["--input-tokens", "1000000", "--output-tokens", "1000000"],
  );
  await page.reload();
  await expect(page.getByTestId("threshold-value")).toHaveText("$5.00");
  await expect(page.getByTestId("threshold-accrued")).toHaveText("$3.00");
  await expect(page.getByTestId("threshold-charge")).toHaveCount(1);
  await expect(page.getByTestId("threshold-charge")).toContainText("$5.00");
  await expect(page.getByTestId("threshold-charge")).toContainText("Paid");
  await expect(page.getByTestId("credits-used")).toContainText("$2.00 of $2.00");
});

test("close a month, find its invoice, open it, download the invoice and the receipt and read them", async ({
  page,
  baseURL,
}) => {
  const user = await newUser("pro");
  await signInAs(page, user, "4242424242424242");
  const month = await billingMonth(-1);
  // 1,234,567 input tokens of DeepSeek R1 on Together at $3/M: $3.703701, invoiced as $3.70.
  await ingest(baseURL!, [
    {
      userId: user.id,
      provider: "together",
      model: "deepseek-ai/DeepSeek-R1",
      inputTokens: 1_234_567,
      outputTokens: 0,
      occurredAt: `${month}-12T08:00:00Z`,
    },
  ]);
  await closeMonth(month);
  await page.reload();

  const row = page.getByTestId("invoice-row").filter({ hasText: "Usage" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("invoice-period")).toContainText(`${month}-01 to ${month}-`);
  await expect(row.getByTestId("invoice-total")).toHaveText("$3.70");
  await expect(row.getByTestId("invoice-amount-due")).toHaveText("$1.70"); // after $2.00 of credits
  await expect(row.getByTestId("invoice-status")).toHaveText("Paid");
  const number = (await row.getByRole("link").first().textContent())!;
  expect(number).toMatch(new RegExp(`^INV-${month.replace("-", "")}-\\d{6}$`));

  await row.getByRole("link", { name: number }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Invoice ${number}` })).toBeVisible();
  const line = page.getByTestId("invoice-line").first();
  await expect(line).toContainText("DeepSeek");
  await expect(line.getByRole("link")).toHaveAttribute(
    "href",
    new RegExp(`^/settings/inference-providers\\?from=${month}-01&to=\\d{4}-\\d{2}-01$`),
  );
  await expect(page.getByTestId("invoice-payment")).toContainText("visa ending in 4242");

  const [invoicePdf] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download invoice (PDF)" }).click(),
  ]);
  expect(invoicePdf.suggestedFilename()).toBe(`${number}.pdf`);
  const invoiceText = await pdfText(invoicePdf);
  for (const s of [
    number,
    `${month}-01 to ${month}-`,
    "$3.70",
    "-$2.00",
    "Amount due",
    "$1.70",
    "Billed to",
    user.email,
  ])
    expect(invoiceText, s).toContain(s);

  const [receiptPdf] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download receipt (PDF)" }).click(),
  ]);
  expect(receiptPdf.suggestedFilename()).toBe(`${number}-receipt.pdf`);
  const receiptText = await pdfText(receiptPdf);
  for (const s of [
    "Receipt",
    number,
    `${month}-01 to ${month}-`,
    "Amount paid",
    "$1.70",
    "Visa ending in 4242 (paid)",
  ])
    expect(receiptText, s).toContain(s);
});

test("a failed charge leaves the invoice open to pay online: a declined card is refused, another card pays it", async ({
  page,
  baseURL,
}) => {
  const user = await newUser("pro");
  await signInAs(page, user, "4000000000000341"); // saves, but every charge is declined
  const month = await billingMonth(-1);
  await ingest(baseURL!, [
    {
      userId: user.id,
      provider: "together",
      model: "deepseek-ai/DeepSeek-R1",
      inputTokens: 2_000_000,
      outputTokens: 0,
      occurredAt: `${month}-03T10:00:00Z`,
    },
  ]);
  await closeMonth(month);
  await page.reload();
  const row = page.getByTestId("invoice-row").filter({ hasText: "Usage" });
  await expect(row.getByTestId("invoice-status")).toHaveText("Failed");
  await expect(row.getByRole("link", { name: "Receipt PDF" })).toHaveCount(0);
  await row.getByRole("link", { name: /^INV-/ }).click();

  await expect(page.getByTestId("invoice-payment")).toContainText("declined");
  const form = page.getByRole("form", { name: "Pay online" });
  await expect(form.getByLabel("Pay with")).toHaveValue("new");
  const pay = async (number: string) => {
    await form.getByLabel("Card number").fill(number);
    await form.getByLabel("Expiry (MM/YY)").fill("11/31");
    await form.getByLabel("Security code").fill("321");
    await form.getByRole("button", { name: "Pay $4.00" }).click();
  };
  await pay("4000000000000002");
  await expect(form.getByTestId("form-error")).toContainText("declined");
  await pay("5555 5555 5555 4444");
  await expect(page.getByTestId("invoice-status")).toHaveText("Paid");
  await expect(page.getByRole("form", { name: "Pay online" })).toHaveCount(0);
  await expect(
    page.getByTestId("invoice-payment").filter({ hasText: "mastercard ending in 4444" }),
  ).toContainText("paid");
  await expect(page.getByRole("link", { name: "Download receipt (PDF)" })).toBeVisible();

  await page.goto("/settings/billing");
  await expect(
    page.getByTestId("invoice-row").filter({ hasText: "Usage" }).getByTestId("invoice-status"),
  ).toHaveText("Paid");
});

test("an invoice older than 3 months is not listed", async ({ page, baseURL }) => {
  const user = await newUser("pro");
  await signInAs(page, user, "4242424242424242");
  const [old, recent] = [await billingMonth(-4), await billingMonth(-3)];
  for (const month of [old, recent]) {
    await ingest(baseURL!, [
      {
        userId: user.id,
        provider: "together",
        model: "deepseek-ai/DeepSeek-R1",
        inputTokens: 1_000_000,
        outputTokens: 0,
        occurredAt: `${month}-15T10:00:00Z`,
      },
    ]);
    await closeMonth(month);
  }
  await page.reload();
  const rows = page.getByTestId("invoice-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.getByTestId("invoice-period")).toContainText(`${recent}-01`);
  const listed = (await (await page.request.get("/api/billing/invoices")).json()) as {
    invoices: { periodStart: string }[];
  };
  expect(listed.invoices.map((i) => i.periodStart)).toEqual([`${recent}-01`]);
});

test("the billing page, the invoice, its PDF and the usage breakdown agree to the cent for the same month", async ({
  page,
  baseURL,
}) => {
  const user = await newUser("pro");
  await signInAs(page, user, "4242424242424242");
  const month = await billingMonth(-2);
  // Amounts with fractions of a cent on two providers: the invoice rounds each line half up.
  await ingest(baseURL!, [
    {
      userId: user.id,
      provider: "together",
      model: "deepseek-ai/DeepSeek-R1",
      inputTokens: 1_234_567,
      outputTokens: 345_679,
      occurredAt: `${month}-02T10:00:00Z`,
    },
    {
      userId: user.id,
      provider: "together",
      model: "deepseek-ai/DeepSeek-R1",
      inputTokens: 17,
      outputTokens: 3,
      occurredAt: `${month}-20T23:59:00Z`,
    },
    {
      userId: user.id,
      provider: "groq",
      model: "openai/gpt-oss-120b",
      inputTokens: 3_333_333,
      outputTokens: 1_111_111,
      occurredAt: `${month}-09T00:00:01Z`,
    },
  ]);
  await closeMonth(month);
  await page.reload();

  // 1. The billing page.
  const row = page.getByTestId("invoice-row").filter({ hasText: `${month}-01` });
  const page_ = {
    total: cents((await row.getByTestId("invoice-total").textContent())!),
    due: cents((await row.getByTestId("invoice-amount-due").textContent())!),
  };
  // 2. The invoice.
  await row.getByRole("link", { name: /^INV-/ }).click();
  await expect(page.getByTestId("invoice-line")).toHaveCount(2); // one per provider and model
  const lines = await page.getByTestId("invoice-line").allTextContents();
  const invoice = {
    total: cents((await page.getByTestId("invoice-subtotal").textContent())!),
    due: cents((await page.getByTestId("invoice-amount-due").textContent())!),
    usageLines: lines.filter((l) => l.includes("requests")).map(cents),
  };
  // 3. Its PDF.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download invoice (PDF)" }).click(),
  ]);
  const pdf = await pdfText(download);
  const pdfAmount = (label: string) =>
    cents(new RegExp(`${label}\\s+(-?\\$[\\d,]+\\.\\d{2})`).exec(pdf)![1]!);
  // 4. The usage breakdown of the same month, by model (each model ran on one provider: one invoice line each).
  const next = new Date(`${month}-01T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const res = await page.request.get(
    `/api/billing/usage?from=${month}-01&to=${next.toISOString().slice(0, 10)}&groupBy=model`,
  );
  const usage = (await res.json()) as {
    rows: { routed: { costNano: string } }[];
    total: { routed: { costNano: string; paygNano: string } };
  };
  const roundHalfUp = (nano: string) => Number((BigInt(nano) + 5_000_000n) / 10_000_000n);
  const breakdown = {
    lines: usage.rows.map((r) => roundHalfUp(r.routed.costNano)).sort((a, b) => a - b),
    due: roundHalfUp(usage.total.routed.paygNano),
  };

  expect(invoice.usageLines.sort((a, b) => a - b)).toEqual(breakdown.lines);
  const sum = breakdown.lines.reduce((s, c) => s + c, 0);
  expect(sum).toBeGreaterThan(200); // beyond the $2.00 of credits, so there is something due
  for (const total of [page_.total, invoice.total, pdfAmount("Subtotal")]) expect(total).toBe(sum);
  for (const due of [page_.due, invoice.due, pdfAmount("Amount due")]) expect(due).toBe(breakdown.due);
});

test("an org admin sees seats, members, what renewal does to them, and storage with the overage it will bill", async ({
  page,
}) => {
  const adminUser = await newUser("free");
  const org = `billing-${adminUser.id.slice(0, 8)}`;
  await admin("create-org", "--name", org, "--plan", "enterprise", "--seats", "3");
  await admin("add-member", "--org", org, "--email", adminUser.email, "--role", "admin");
  await admin("set-storage", "--org", org, "--bytes", "4200000000000"); // 4.2 TB, 3 TB included
  await signInAs(page, adminUser);
  await page.goto(`/organizations/${org}/settings/billing`);
  await expect(page.getByTestId("plan-name")).toHaveText("Enterprise · 3 seats");
  await expect(page.getByTestId("seats")).toContainText("3 seats paid, 1 member");
  await expect(page.getByTestId("seats")).toContainText("seats become the member count (1)");
  await expect(page.getByTestId("storage")).toContainText("4.20 TB used, 3 TB included");
  await expect(page.getByTestId("storage")).toContainText(
    "2 TB over: $50.00 will be billed with the renewal",
  );
  await expect(page.getByRole("button", { name: "Subscribe to PRO" })).toHaveCount(0);

  // Cards added here belong to the org, not to the admin.
  await page.getByLabel("Card number").fill("4242424242424242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/30");
  await page.getByLabel("Security code").fill("123");
  await page.getByRole("button", { name: "Add card" }).click();
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await page.goto("/settings/billing");
  await expect(page.getByTestId("card-row")).toHaveCount(0);
});
