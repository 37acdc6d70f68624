import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { admin, billingMonth, ingest, newUser, signInAs, type TestUser } from "./billing-helpers";

// One org of its own (made with the CLI) whose previous month holds ten $10 routed requests,
// one a day from the 3rd to the 12th at 14:05 UTC. The tests build on each other: in order.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: { cookies: [], origins: [] } });

const ORG = `preview-${randomUUID().slice(0, 8)}`;
const PAGE = `/organizations/${ORG}/settings/inference-providers`;
const AUDIT = `/organizations/${ORG}/settings/audit-log`;
let owner: TestUser;
let reader: TestUser;
let lastMonth: string;
const monthName = () =>
  new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${lastMonth}-01T00:00:00Z`),
  );

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(180_000); // each CLI call starts a process that attaches to the database
  // One after the other: each CLI process syncs the catalog at start, and parallel ones contend.
  owner = await newUser("pro");
  reader = await newUser("free");
  await admin("create-org", "--name", ORG, "--plan", "team", "--seats", "1", "--display-name", "Preview Co");
  await admin("add-member", "--org", ORG, "--email", owner.email, "--role", "admin");
  await admin("add-member", "--org", ORG, "--email", reader.email, "--role", "read");
  lastMonth = await billingMonth(-1);
  await ingest(
    baseURL!,
    Array.from({ length: 10 }, (_, i) => ({
      userId: owner.id,
      billTo: ORG,
      provider: "together",
      model: "deepseek-ai/DeepSeek-R1",
      inputTokens: 1_000_000,
      outputTokens: 1_000_000, // $10
      occurredAt: `${lastMonth}-${String(i + 3).padStart(2, "0")}T14:05:00.000Z`,
    })),
  );
});

async function openAs(page: Page, user: TestUser, path: string) {
  await signInAs(page, user);
  await page.goto(path);
}

test("typing a limit previews how last month would have fared, before saving", async ({ page }) => {
  await openAs(page, owner, PAGE);
  const form = page.getByRole("region", { name: "Spending limit" });
  const input = form.getByLabel(/monthly limit/i);
  const sentence = page.getByTestId("limit-preview-sentence");

  // $2 of credits, then $50: five requests pass; from the 6th (day 8) on, refused.
  await input.pressSequentially("50");
  await expect(sentence).toHaveText(
    `With a $50.00 limit in ${monthName()}, requests would have been refused from ${new Intl.DateTimeFormat(
      "en-US",
      { month: "short", timeZone: "UTC" },
    ).format(new Date(`${lastMonth}-01T00:00:00Z`))} 8, 14:05 UTC: 5 requests, $50.00.`,
  );
  await expect(page.getByTestId("limit-preview-days").getByRole("listitem")).toHaveCount(5);

  await input.fill("1000");
  await expect(sentence).toHaveText(
    `With a $1,000.00 limit in ${monthName()}, no request would have been refused ($98.00 of pay-as-you-go).`,
  );

  // Nothing was saved by previewing; saving clears the preview.
  await expect(page.getByTestId("limit-current")).toContainText("No limit.");
  await input.fill("50");
  await form.getByRole("button", { name: "Set limit" }).click();
  await expect(page.getByTestId("limit-status")).toHaveText("Limit set to $50.00.");
  await expect(page.getByTestId("limit-preview")).toBeHidden();
});

test("switching a provider off previews the models it leaves without a provider and its share", async ({
  page,
}) => {
  await openAs(page, owner, PAGE);
  const api = (await (
    await page.request.get(`/api/organizations/${ORG}/providers/together/preview`)
  ).json()) as { modelsLosingLastProvider: { name: string }[] };

  await page.getByTestId("provider-together").getByRole("switch").click();
  const dialog = page.getByRole("dialog", { name: "Switch off Together AI for Preview Co?" });
  await expect(dialog.getByTestId("provider-share")).toHaveText(
    `In ${monthName()}, Together AI served 10 requests (100% of Preview Co's) costing $100.00 (100% of the cost).`,
  );
  if (api.modelsLosingLastProvider.length === 0)
    await expect(dialog.getByTestId("no-model-lost")).toBeVisible();
  else
    await expect(dialog.getByTestId("models-losing-last-provider").getByRole("listitem")).toHaveText(
      api.modelsLosingLastProvider.map(
        (m) => new RegExp(`^${m.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
      ),
    );
  await dialog.getByRole("button", { name: "Switch off Together AI" }).click();
  await expect(page.getByTestId("providers-status")).toHaveText(
    "Together AI disabled for requests billed to Preview Co.",
  );
});

test("the audit log lists the changes, filters them and exports the filtered rows as CSV", async ({
  page,
}) => {
  await openAs(page, owner, "/settings/billing");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit log" }).click();
  await page.waitForURL(`**${AUDIT}`);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Switched a provider off");
  await expect(rows.nth(0).locator('[data-column="target"]')).toHaveText("together");
  await expect(rows.nth(0).locator('[data-column="change"]')).toHaveText("on → off");
  await expect(rows.nth(1).locator('[data-column="action"]')).toHaveText("Changed the spending limit");
  await expect(rows.nth(1).locator('[data-column="change"]')).toHaveText("No limit → $50.00");
  await expect(rows.nth(1).locator('[data-column="who"]')).toContainText(owner.email);

  await page.getByLabel("Type of change").selectOption("limit");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/type=limit/);
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId("audit-count")).toHaveText("1 entry, page 1 of 1.");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const csv = fs
    .readFileSync((await download.path())!, "utf8")
    .trimEnd()
    .split("\r\n");
  expect(csv[0]).toBe("when_utc,who_name,who_email,action,description,target,change,before,after");
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain("spending_limit.update");
  expect(csv[1]).toContain(owner.email);

  await page.getByLabel("Member", { exact: true }).selectOption({ label: "System (renewals, operator)" });
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/member=system/);
  await expect(page.getByText("No changes match these filters.")).toBeVisible();
});

test("a member who is not an admin gets the 403 page and no link to it", async ({ page }) => {
  await openAs(page, reader, AUDIT);
  await expect(page.getByText("You don't have access to this page")).toBeVisible();
  await page.goto(PAGE);
  await expect(
    page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit log" }),
  ).toHaveCount(0);
  const res = await page.request.get(`/api/organizations/${ORG}/audit-log?format=csv`);
  expect(res.status()).toBe(403);
});
