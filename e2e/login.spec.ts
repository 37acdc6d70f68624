import { expect, test } from "@playwright/test";
import { demoUser, expectSignedInAs, signIn } from "./fixtures";

test.describe("sign-in", () => {
  test("a wrong password gets a clear error and no session", async ({ page }) => {
    await signIn(page, "writer@example.com", "definitely-not-the-password");
    await expect(page.getByTestId("form-error")).toHaveText("Incorrect email or password.");
    await page.goto("/settings/billing");
    await expect(page).toHaveURL(/\/login/);
  });

  test("an unknown email gets the same error, revealing nothing", async ({ page }) => {
    await signIn(page, "nobody@example.com", "whatever-password");
    await expect(page.getByTestId("form-error")).toHaveText("Incorrect email or password.");
  });

  test("repeated failures from one address pause sign-ins there, even with the right password", async ({
    page,
  }) => {
    const { email, password } = demoUser("contributor@example.com");
    for (let i = 0; i < 5; i++) {
      await signIn(page, email, `wrong-${i}-password`);
      await expect(page.getByTestId("form-error")).toHaveText("Incorrect email or password.");
    }
    await signIn(page, email, password);
    await expect(page.getByTestId("form-error")).toHaveText(
      /Too many failed sign-in attempts\. Try again in \d+ minutes?\./,
    );
  });

  test("signs in, and signs out", async ({ page }) => {
    const { email, password } = demoUser("enterprise-admin@example.com");
    await signIn(page, email, password);
    await page.waitForURL("**/settings/billing");
    await expectSignedInAs(page, email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");
    await page.goto("/settings/tokens");
    await expect(page).toHaveURL(/\/login/);
  });

  test("pages need a session", async ({ page }) => {
    await page.goto("/organizations/acme-ai/settings/billing");
    await expect(page).toHaveURL(/\/login/);
  });
});
