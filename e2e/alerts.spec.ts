import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { verifyWebhook } from "@/lib/alerts/signature";
import { adminCli, signIn } from "./fixtures";
import { E2E_DATA_DIR, E2E_PORT } from "../playwright.config";

// Alerts end to end: usage crosses a PRO user's credits, the alerts page lists each level once,
// the emails land in the in-app outbox (no SMTP server here), and a webhook set on the page is
// called with a body signed by the secret the page showed once.
const admin = (...args: string[]) => adminCli(E2E_DATA_DIR, ...args);
const PASSWORD = "correct horse battery";
// Each test makes a user and a service token through the CLI (a few seconds each).
test.describe.configure({ timeout: 90_000 });
let serviceToken: Promise<string> | undefined;
const ingestionToken = () =>
  (serviceToken ??= admin("create-service-token", "--name", `alerts-${randomUUID()}`).then(
    (r) => (r as { token: string }).token,
  ));

async function proUser(page: Page) {
  const email = `alerts-${randomUUID().slice(0, 8)}@example.com`;
  const { user } = (await admin(
    "create-user",
    "--email",
    email,
    "--password",
    PASSWORD,
    "--plan",
    "pro",
  )) as {
    user: { id: string };
  };
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/settings/);
  return { email, id: user.id };
}

/** $1.76 of Llama on Together this month: past 50% and 80% of PRO's $2 of credits, not 100%. */
async function spend(userId: string, inputTokens = 2_000_000) {
  const token = await ingestionToken();
  const res = await fetch(`http://127.0.0.1:${E2E_PORT}/api/usage/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      events: [
        {
          id: `alerts-${randomUUID()}`,
          userId,
          provider: "together",
          model: "meta-llama/Llama-3.3-70B-Instruct",
          mode: "routed",
          inputTokens,
          outputTokens: 0,
          occurredAt: new Date().toISOString(),
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
}

test("usage past 50% and 80% of the credits shows two alerts and two emails in the outbox", async ({
  page,
}) => {
  const user = await proUser(page);
  await spend(user.id);
  // The emails are queued right after the settlement, asynchronously: reload until they are in.
  await expect(async () => {
    await page.goto("/settings/notifications");
    await expect(page.getByTestId("alert")).toHaveCount(2);
    await expect(page.getByTestId("outbox").getByRole("listitem")).toHaveCount(2);
  }).toPass({ timeout: 20_000 });
  const alerts = page.getByTestId("alert-list");
  await expect(alerts).toContainText(/50% of monthly credits used for \d{4}-\d{2}/);
  await expect(alerts).toContainText(/80% of monthly credits used/);
  await expect(alerts).not.toContainText("reached");
  await expect(page.getByTestId("outbox")).toContainText("80% of monthly credits used");
  await expect(page.getByTestId("outbox").getByRole("listitem")).toHaveCount(2);
});

test("a webhook set on the page receives each alert, signed with the secret shown once", async ({ page }) => {
  const calls: { body: string; signature: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      calls.push({ body, signature: String(req.headers["x-billing-signature"]) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const user = await proUser(page);
    await page.goto("/settings/notifications");
    const form = page.getByTestId("webhook-me");
    await form
      .getByLabel("Webhook URL")
      .fill(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    await form.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await form.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.reload();
    await expect(form).toContainText(`secret ending in ${secret.slice(-4)}`);
    await expect(page.locator("body")).not.toContainText(secret);

    await spend(user.id, 3_000_000); // $2.64: every level of the credits at once
    await expect.poll(() => calls.length, { timeout: 20_000 }).toBe(3);
    for (const call of calls) {
      expect(
        verifyWebhook(secret, call.body, call.signature, { now: new Date(), toleranceSeconds: 300 }),
      ).toBe(true);
    }
    expect(calls.map((c) => (JSON.parse(c.body) as { level: number }).level).sort()).toEqual([100, 50, 80]);
    // Marked sent once the endpoint's answer is back: reload until it is.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("alert").first()).toContainText("Webhook: sent", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("bad webhook input gets a clear error and saves nothing", async ({ page }) => {
  await proUser(page);
  await page.goto("/settings/notifications");
  const res = await page.request.put("/api/settings/alert-webhook", {
    data: { url: "ftp://example.com/hook" },
    headers: { origin: `http://localhost:${E2E_PORT}` },
  });
  expect(res.status()).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  // Internal addresses are refused, in any notation (only 127.0.0.1 is allow-listed here).
  for (const url of [
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/x",
    "http://0x7f000002:3199/",
  ]) {
    const refused = await page.request.put("/api/settings/alert-webhook", {
      data: { url },
      headers: { origin: `http://localhost:${E2E_PORT}` },
    });
    expect(refused.status(), url).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("webhook_url_refused");
  }
  await page.reload();
  await expect(page.getByTestId("webhook-me")).toContainText("No webhook");
});
