import { expect, test, type Response } from "@playwright/test";
import { storageState } from "./fixtures";

test.use({ storageState: storageState("writer") });

test("add, replace and remove a provider key; the full key never comes back", async ({ page }) => {
  const first = `sk-e2e-first-${Date.now()}-AbCd`;
  const second = `sk-e2e-second-${Date.now()}-WxYz`;
  // Every response after a key is saved: page HTML, RSC payloads and JSON.
  const bodies: Promise<string>[] = [];
  let watching = false;
  page.on("response", (res: Response) => {
    if (watching) bodies.push(res.text().catch(() => ""));
  });

  await page.goto("/settings/inference-providers");
  const row = page.getByTestId("key-row-together");
  await expect(row.getByTestId("key-status")).toContainText("No key");

  await row.getByRole("button", { name: "Add key for Together AI" }).click();
  await row.getByLabel("Your Together AI key").fill(first);
  watching = true;
  await row.getByRole("button", { name: "Save key" }).click();
  await expect(page.getByTestId("key-notice")).toHaveText("Key for Together AI saved: it ends in AbCd.");
  await expect(row.getByTestId("key-status")).toContainText("••••AbCd");

  await row.getByRole("button", { name: "Replace for Together AI" }).click();
  await row.getByLabel("New Together AI key").fill(second);
  await row.getByRole("button", { name: "Save key" }).click();
  await expect(row.getByTestId("key-status")).toContainText("••••WxYz");

  // Reloaded, listed by the API: last 4 only.
  await page.reload();
  await expect(page.getByTestId("key-row-together").getByTestId("key-status")).toContainText("••••WxYz");
  const listed = await page.request.get("/api/settings/provider-keys");
  expect(await listed.json()).toMatchObject({ keys: [{ providerId: "together", last4: "WxYz" }] });
  expect(await page.content()).not.toContain(second);

  await page
    .getByTestId("key-row-together")
    .getByRole("button", { name: "Remove key for Together AI" })
    .click();
  await page.getByTestId("key-row-together").getByRole("button", { name: "Remove key", exact: true }).click();
  await expect(page.getByTestId("key-notice")).toHaveText("Key for Together AI removed.");
  await expect(page.getByTestId("key-row-together").getByTestId("key-status")).toContainText("No key");
  expect(await (await page.request.get("/api/settings/provider-keys")).json()).toEqual({ keys: [] });

  const html = await (await page.request.get("/settings/inference-providers")).text();
  const seen = [...(await Promise.all(bodies)), html, await page.content()];
  expect(seen.length).toBeGreaterThan(3);
  for (const body of seen) {
    expect(body).not.toContain(first);
    expect(body).not.toContain(second);
  }
});

test("reorders the providers the router tries first, and resets the order", async ({ page }) => {
  await page.goto("/settings/inference-providers");
  const order = page.getByTestId("provider-order").getByRole("listitem");
  const second = (await order.nth(1).getByTestId("provider-name").textContent())!;
  await page.getByRole("button", { name: `Move ${second} up` }).click();
  await page.getByRole("button", { name: "Save order" }).click();
  await expect(page.getByText("Order saved")).toBeVisible();
  const saved = (await (await page.request.get("/api/settings/provider-preferences")).json()) as {
    providers: string[];
    catalog: { id: string; displayName: string }[];
  };
  expect(saved.catalog.find((p) => p.id === saved.providers[0])!.displayName).toBe(second);
  await page.reload();
  await expect(page.getByTestId("provider-order").getByRole("listitem").first()).toContainText(second);

  await page.getByRole("button", { name: "Reset to default" }).click();
  await expect(page.getByText("Reset to the default order.")).toBeVisible();
  expect(
    ((await (await page.request.get("/api/settings/provider-preferences")).json()) as { providers: string[] })
      .providers,
  ).toEqual([]);
});
