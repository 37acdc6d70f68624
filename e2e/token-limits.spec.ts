import { expect, test } from "@playwright/test";
import { E2E_PORT } from "../playwright.config";
import { storageState } from "./fixtures";

// Issue 24: a token with a $0.05 daily limit, made in the page, spent through the router until
// its 402, with the token's spend on the page; then its owner raises the limit there.
test.use({ storageState: storageState("pro") });
const base = `http://localhost:${E2E_PORT}`;
const usd = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);

async function ask(token: string) {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      model: "meta-llama/Llama-3.3-70B-Instruct",
      messages: [{ role: "user", content: "y".repeat(20_000) }],
      max_tokens: 16,
    }),
  });
  return { status: res.status, body: (await res.json()) as { error?: Record<string, unknown> } };
}

test("a token's daily limit: set in the page, reached through the router, shown and raised in the page", async ({
  page,
}) => {
  await page.goto("/settings/tokens");
  const name = `budget-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByTestId("new-token-limit").fill("0.05");
  await page.getByTestId("new-token-limit-reset").selectOption("daily");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const row = page.getByTestId("token-row").filter({ hasText: name });
  await expect(row.getByTestId("token-limit")).toContainText(`${usd(0)} of ${usd(5)} per day`);

  let refusal: Record<string, unknown> | undefined;
  for (let i = 0; i < 200 && !refusal; i++) {
    const answer = await ask(token);
    if (answer.status !== 200) {
      expect(answer.status).toBe(402);
      refusal = answer.body.error;
    }
  }
  expect(refusal).toMatchObject({ code: "token_limit_reached", limitCents: 5, limitReset: "daily" });
  const spentCents = refusal!.spentCents as number;
  expect(spentCents).toBeGreaterThan(0);
  expect(spentCents).toBeLessThanOrEqual(5);

  await page.reload();
  await expect(row.getByTestId("token-limit")).toContainText(`${usd(spentCents)} of ${usd(5)} per day`);
  await expect(row.getByTestId("token-limit")).toContainText("resets");

  await row.getByRole("button", { name: "Change limit" }).click();
  await row.getByLabel("Limit (USD)").fill("1");
  await row.getByRole("button", { name: "Save limit" }).click();
  await expect(row.getByTestId("token-limit-status")).toHaveText(`Limit set to ${usd(100)} per day.`);
  await expect(row.getByTestId("token-limit")).toContainText(`of ${usd(100)} per day`);
  expect((await ask(token)).status).toBe(200);
});
