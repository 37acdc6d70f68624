import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageState, type Role } from "./fixtures";

// Every settings page, as the roles that see it differently (admin controls, read-only, empty).
const PAGES: [Role, string][] = [
  ["pro", "/settings/billing"],
  ["pro", "/settings/inference-providers"],
  ["writer", "/settings/inference-providers"],
  ["pro", "/settings/tokens"],
  ["pro", "/settings/notifications"],
  ["pro", "/organizations/acme-ai/settings/billing"],
  ["pro", "/organizations/acme-ai/settings/inference-providers"],
  ["pro", "/organizations/acme-ai/settings/audit-log"],
  ["reader", "/organizations/acme-ai/settings/inference-providers"],
  ["reader", "/organizations/globex/settings/inference-providers"],
];

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  for (const [role, path] of PAGES) {
    test.describe(`${scheme}, as ${role}`, () => {
      test.use({ storageState: storageState(role), colorScheme: scheme });

      test(`${path} has no serious accessibility violations`, async ({ page }) => {
        const response = await page.goto(path);
        expect(response!.status()).toBe(200);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForLoadState("networkidle");
        expect(await seriousViolations(page)).toEqual([]);
      });
    });
  }
}
