import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures";

test.use({ storageState: storageState("writer") });

test("create a token, see it once, use it, revoke it", async ({ page, request }) => {
  await page.goto("/settings/tokens");
  const name = `e2e-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^hf_[A-Za-z0-9_-]{40}$/);

  const row = page.getByTestId("token-row").filter({ hasText: name });
  await expect(row).toContainText(`hf_…${token.slice(-4)}`);

  // It authenticates the JSON API, which never shows it again.
  const listed = await request.get("/api/settings/tokens", { headers: { authorization: `Bearer ${token}` } });
  expect(listed.status()).toBe(200);
  const body = await listed.text();
  expect(body).toContain(name);
  expect(body).not.toContain(token);

  // After a reload the page does not show it either.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: `Revoke “${name}”` }).click();
  await expect(page.getByTestId("token-row").filter({ hasText: name })).toHaveCount(0);

  const after = await request.get("/api/settings/tokens", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(await after.json()).toMatchObject({ error: { code: "invalid_token" } });
});

test("an empty name is refused with a clear message", async ({ page }) => {
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("form-error")).toContainText("Give the token a name.");
});

test("cross-origin changes with the session cookie are refused", async ({ page }) => {
  await page.goto("/settings/tokens");
  const status = await page.evaluate(async () => {
    const res = await fetch("/api/settings/tokens", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ name: "csrf" }),
    });
    return res.status;
  });
  // Browsers do not let scripts set Origin, so the same-origin call succeeds...
  expect(status).toBe(201);
  // ...and a request that really comes from another origin is refused.
  const forged = await page.request.post("/api/settings/tokens", {
    headers: { origin: "https://evil.example" },
    data: { name: "csrf" },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: { code: "cross_origin" } });
});

test("the JSON API needs a session or a token", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({
    baseURL: `http://localhost:${process.env.E2E_PORT ?? 3210}`,
    storageState: { cookies: [], origins: [] }, // not the signed-in state this file uses
  });
  for (const path of [
    "/api/billing/usage",
    "/api/settings/tokens",
    "/api/settings/provider-keys",
    "/api/organizations/acme-ai/spending-limit",
  ]) {
    const res = await anonymous.get(path);
    expect(res.status(), path).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
  }
  await anonymous.dispose();
});
