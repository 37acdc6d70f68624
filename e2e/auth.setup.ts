import { test as setup } from "@playwright/test";
import { demoUser, expectSignedInAs, ROLES, signIn, storageState, type Role } from "./fixtures";

// Each role signs in once through the real login form; the specs reuse the saved session.
for (const [role, email] of Object.entries(ROLES) as [Role, string][]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, email, demoUser(email).password);
    await page.waitForURL("**/settings/billing");
    await expectSignedInAs(page, email);
    await page.context().storageState({ path: storageState(role) });
  });
}
