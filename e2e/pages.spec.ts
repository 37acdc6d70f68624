import { expect, test, type Page } from "@playwright/test";
import { storageState } from "./fixtures";

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  return response!.status();
}

test.describe("as a PRO user who is admin of a Team org and write member of an Enterprise org", () => {
  test.use({ storageState: storageState("pro") });

  test("every personal settings page renders", async ({ page }) => {
    expect(await visit(page, "/settings/billing")).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
    await expect(page.getByTestId("plan-name")).toHaveText("PRO");
    expect(await visit(page, "/settings/inference-providers")).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Inference providers" })).toBeVisible();
    expect(await visit(page, "/settings/tokens")).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Access tokens" })).toBeVisible();
  });

  test("the navigation lists the user's orgs with their roles", async ({ page }) => {
    await visit(page, "/settings/billing");
    const nav = page.getByRole("navigation", { name: "Settings" });
    await expect(nav).toContainText("Acme AI (admin)");
    await expect(nav).toContainText("Globex Research (write)");
    await nav.getByRole("link", { name: "Billing" }).nth(1).click();
    await expect(page).toHaveURL(/\/organizations\/acme-ai\/settings\/billing$/);
  });

  test("the admin sees the Team org's billing and provider settings", async ({ page }) => {
    expect(await visit(page, "/organizations/acme-ai/settings/billing")).toBe(200);
    await expect(page.getByTestId("plan-name")).toHaveText("Team · 5 seats");
    expect(await visit(page, "/organizations/acme-ai/settings/inference-providers")).toBe(200);
    await expect(
      page.getByText("Switch off providers that requests billed to the organization may not use."),
    ).toBeVisible();
  });

  test("a write member gets the 403 page on org billing, but sees usage", async ({ page }) => {
    expect(await visit(page, "/organizations/globex/settings/billing")).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    expect(await visit(page, "/organizations/globex/settings/inference-providers")).toBe(200);
    await expect(
      page.getByText("Only admins can change which providers the organization allows."),
    ).toBeVisible();
  });
});

test.describe("as a read member", () => {
  test.use({ storageState: storageState("reader") });

  test("sees the org's usage page read-only and gets 403 on its billing", async ({ page }) => {
    expect(await visit(page, "/organizations/acme-ai/settings/inference-providers")).toBe(200);
    await expect(
      page.getByText("Only admins can change which providers the organization allows."),
    ).toBeVisible();
    expect(await visit(page, "/organizations/acme-ai/settings/billing")).toBe(403);
  });
});

test.describe("as a Free user in no org", () => {
  test.use({ storageState: storageState("free") });

  test("sees the Free plan", async ({ page }) => {
    await visit(page, "/settings/billing");
    await expect(page.getByTestId("plan-name")).toHaveText("Free");
    await expect(page.getByText("Requests are refused")).toBeVisible();
  });

  test("gets a clear 403 page for an org they are not in", async ({ page }) => {
    for (const path of [
      "/organizations/acme-ai/settings/billing",
      "/organizations/acme-ai/settings/inference-providers",
    ]) {
      expect(await visit(page, path)).toBe(403);
      await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    }
  });

  test("gets 404 for an org that does not exist", async ({ page }) => {
    expect(await visit(page, "/organizations/no-such-org/settings/billing")).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("renders in dark mode too", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await visit(page, "/settings/billing");
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
  });
});
