import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { adminCli, expectSignedInAs, ROLES, signIn, storageState } from "./fixtures";
import { E2E_DATA_DIR, E2E_PORT } from "../playwright.config";

// What an admin sets on the org page is what the router enforces on the next request. Each
// test makes an org of its own (the demo orgs are shared by other specs), with the PRO demo
// user as its admin, and signs in as that user.
test.use({ storageState: storageState("pro") });
const admin = (...args: string[]) => adminCli(E2E_DATA_DIR, ...args);
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";

async function orgWithAdmin() {
  const org = `e2e-${randomUUID().slice(0, 8)}`;
  await admin("create-org", "--name", org, "--plan", "team", "--seats", "1");
  await admin("add-member", "--org", org, "--email", ROLES.pro, "--role", "admin");
  const { token } = (await admin("create-token", "--email", ROLES.pro, "--name", org)) as { token: string };
  const client = new OpenAI({
    apiKey: token,
    baseURL: `http://localhost:${E2E_PORT}/v1`,
    defaultHeaders: { "X-HF-Bill-To": org },
    maxRetries: 0,
  });
  return { org, client, page: `/organizations/${org}/settings/inference-providers` };
}

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OpenAI.APIError);
  return {
    status: (e as InstanceType<typeof OpenAI.APIError>).status,
    body: (e as { error: unknown }).error,
  };
}

test("a spending limit set on the org page refuses the next router request over it", async ({ page }) => {
  test.setTimeout(90_000);
  const { org, client, page: url } = await orgWithAdmin();
  // $10 of usage: the $2 of credits, then $8 of pay-as-you-go.
  await admin(
    ...["record-usage", "--email", ROLES.pro, "--bill-to", org, "--provider", "together"],
    ...["--model", "deepseek-ai/DeepSeek-R1", "--input-tokens", "1000000", "--output-tokens", "1000000"],
  );
  const ask = () =>
    client.chat.completions.create({ model: LLAMA, messages: [{ role: "user", content: "hi" }] });
  await ask(); // no limit yet

  await page.goto(url);
  const form = page.getByRole("region", { name: "Spending limit" });
  // Until the page hydrates, a click submits the form natively (a reload), not through the app:
  // type and submit again until it is saved (setting the same limit twice changes nothing).
  await expect(async () => {
    await form.getByLabel(/monthly limit/i).fill("5");
    await form.getByRole("button", { name: /Set limit|Change limit/ }).click();
    await expect(page.getByTestId("limit-status")).toHaveText("Limit set to $5.00.", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  const refused = await refusal(ask());
  expect(refused.status).toBe(402);
  expect(refused.body).toMatchObject({ code: "spending_limit_reached", limitCents: 500 });

  await form.getByRole("button", { name: "Remove limit" }).click();
  await expect(page.getByTestId("limit-status")).toHaveText("Limit removed.");
  await ask();
});

test("a limit typed before the page is interactive is kept, and saved on submit", async ({ page }) => {
  test.setTimeout(90_000); // three CLI calls make the org
  const { page: url } = await orgWithAdmin();
  // Hold the page's scripts back until the limit is typed, as on a slow connection.
  let release!: () => void;
  const typed = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/**/*.js", async (route) => {
    await typed;
    await route.continue();
  });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: "domcontentloaded" });
  const form = page.getByRole("region", { name: "Spending limit" });
  const input = form.getByLabel(/monthly limit/i);
  await input.fill("7");
  release();
  // Hydrated: React has attached its props to the input.
  await expect
    .poll(() => input.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps"))))
    .toBe(true);
  await expect(input).toHaveValue("7");
  expect(errors).toEqual([]); // no hydration mismatch (that would re-render the form, dropping what was typed)
  await form.getByRole("button", { name: "Set limit" }).click();
  await expect(page.getByTestId("limit-status")).toHaveText("Limit set to $7.00.");
  await expect(page.getByTestId("limit-current")).toContainText("$7.00 per month.");
});

test("a provider switched off on the org page refuses router requests to it", async ({ page }) => {
  test.setTimeout(90_000);
  const { client, page: url } = await orgWithAdmin();
  const ask = (model: string) =>
    client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
  await ask(`${LLAMA}:groq`);

  await page.goto(url);
  await page.waitForLoadState("networkidle");
  const toggle = page.getByTestId("provider-groq").getByRole("switch");
  await toggle.click();
  await page
    .getByRole("dialog", { name: /Switch off Groq for/ })
    .getByRole("button", { name: "Switch off Groq" })
    .click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  const refused = await refusal(ask(`${LLAMA}:groq`));
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ code: "provider_disabled", provider: "groq" });
  // Letting the router choose goes around it.
  expect((await ask(LLAMA)).model).not.toMatch(/:groq$/);

  await toggle.click(); // back on: no confirmation needed
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  expect((await ask(`${LLAMA}:groq`)).model).toBe(`${LLAMA}:groq`);
});

test.describe("a user's own provider switches", () => {
  test.use({ storageState: { cookies: [], origins: [] } }); // a user of its own, signed in below

  test("switched off on the page, the router refuses that provider by name and routes around it", async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const email = `own-switch-${randomUUID().slice(0, 8)}@example.com`;
    await admin("create-user", "--email", email, "--password", "a-long-password", "--plan", "pro");
    const { token } = (await admin("create-token", "--email", email, "--name", "own-switch")) as {
      token: string;
    };
    const client = new OpenAI({ apiKey: token, baseURL: `http://localhost:${E2E_PORT}/v1`, maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "hi" }];

    await signIn(page, email, "a-long-password");
    await expectSignedInAs(page, email);
    await page.goto("/settings/inference-providers");
    const row = page.getByTestId("own-provider-together");
    // Until the page hydrates a click does nothing: click until the switch says off.
    await expect(async () => {
      if ((await row.getByRole("switch").getAttribute("aria-checked")) === "true")
        await row.getByRole("switch").click();
      await expect(row.getByRole("switch")).toHaveAttribute("aria-checked", "false", { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId("own-providers-summary")).toHaveText(/1 of \d+ providers are switched off/);

    const refused = await refusal(client.chat.completions.create({ model: `${LLAMA}:together`, messages }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "provider_disabled", provider: "together", by: "caller" });
    const routed = await client.chat.completions.create({ model: LLAMA, messages });
    expect(routed.model).not.toBe(`${LLAMA}:together`);

    await row.getByRole("switch").click();
    await expect(row.getByRole("switch")).toHaveAttribute("aria-checked", "true");
    const back = await client.chat.completions.create({ model: `${LLAMA}:together`, messages });
    expect(back.model).toBe(`${LLAMA}:together`);
  });
});

test("an org restricted to one model on the org page refuses another model billed to it", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { client, page: url } = await orgWithAdmin();
  const messages = [{ role: "user" as const, content: "hi" }];
  await page.goto(url);
  const section = page.getByRole("region", { name: "Models" });
  // Until the page hydrates a click does nothing: tick until the list of models shows.
  await expect(async () => {
    const every = section.getByTestId("allow-every-model");
    if (await every.isChecked()) await every.click();
    await expect(section.getByTestId("allowed-models")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await section.getByRole("checkbox", { name: new RegExp(LLAMA.replace(/[.]/g, "\\.")) }).check();
  await expect(section.getByTestId("models-preview")).toHaveText(/^In \d{4}-\d{2}, nothing billed/); // a new org: no last month
  await section.getByRole("button", { name: "Save allowed models" }).click();
  await expect(section.getByTestId("models-status")).toHaveText(/1 model is allowed/);

  const refused = await refusal(
    client.chat.completions.create({ model: "deepseek-ai/DeepSeek-R1", messages }),
  );
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ code: "model_not_allowed", model: "deepseek-ai/DeepSeek-R1" });
  expect((await client.chat.completions.create({ model: LLAMA, messages })).model).toMatch(
    /^meta-llama\/Llama-3\.3/,
  );
});
