import { expect, test } from "@playwright/test";
import { formatNano } from "@/lib/money/format";
import { demoUser, ROLES, storageState } from "./fixtures";

const ORG = "acme-ai";
const PAGE = `/organizations/${ORG}/settings/inference-providers`;
const asUser = (email: string) => ({ authorization: `Bearer ${demoUser(email).token}` });

// These change the demo org's settings: run them one after the other.
test.describe.configure({ mode: "serial" });

test.describe("an org admin", () => {
  test.use({ storageState: storageState("pro") });

  test("sets, changes and removes the spending limit", async ({ page, request }) => {
    const limit = () =>
      request
        .get(`/api/organizations/${ORG}/spending-limit`, { headers: asUser(ROLES.pro) })
        .then((r) => r.json() as Promise<{ limitCents: number | null }>);
    await page.goto(PAGE);
    const form = page.getByRole("region", { name: "Spending limit" });

    // Until the page hydrates, a click submits the form natively (a reload): again until saved.
    await expect(async () => {
      await form.getByLabel(/monthly limit/i).fill("1,234.56");
      await form.getByRole("button", { name: /Set limit|Change limit/ }).click();
      await expect(page.getByTestId("limit-status")).toHaveText("Limit set to $1,234.56.", {
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId("limit-current")).toContainText("$1,234.56 per month.");
    await expect(page.getByTestId("glance-limit")).toContainText("$1,234.56");
    expect((await limit()).limitCents).toBe(123456);

    await form.getByLabel("New monthly limit (USD)").fill("50");
    await form.getByRole("button", { name: "Change limit" }).click();
    await expect(page.getByTestId("limit-status")).toHaveText("Limit set to $50.00.");
    expect((await limit()).limitCents).toBe(5000);

    await form.getByLabel("New monthly limit (USD)").fill("12.345");
    await form.getByRole("button", { name: "Change limit" }).click();
    await expect(form.getByRole("alert")).toContainText("Enter an amount in dollars");
    expect((await limit()).limitCents).toBe(5000);

    await form.getByRole("button", { name: "Remove limit" }).click();
    await expect(page.getByTestId("limit-status")).toHaveText("Limit removed.");
    await expect(page.getByTestId("limit-current")).toContainText("No limit.");
    expect((await limit()).limitCents).toBeNull();
  });

  test("switches a provider off after a confirmation naming what stops working, then on", async ({
    page,
    request,
  }) => {
    const enabled = async () => {
      const res = await request.get(`/api/organizations/${ORG}/providers`, { headers: asUser(ROLES.pro) });
      const body = (await res.json()) as { providers: { id: string; enabled: boolean }[] };
      return body.providers.find((p) => p.id === "groq")!.enabled;
    };
    await page.goto(PAGE);
    const toggle = page.getByTestId("provider-groq").getByRole("switch");
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await toggle.click();
    const dialog = page.getByRole("dialog", { name: "Switch off Groq for Acme AI?" });
    await expect(dialog).toContainText("will be refused with provider_disabled");
    await expect(dialog.getByTestId("stops-working").getByRole("listitem").first()).toBeVisible();

    // Cancel changes nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await enabled()).toBe(true);

    await toggle.click();
    await dialog.getByRole("button", { name: "Switch off Groq" }).click();
    await expect(page.getByTestId("providers-status")).toHaveText(
      "Groq disabled for requests billed to Acme AI.",
    );
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    expect(await enabled()).toBe(false);

    await toggle.click(); // switching back on needs no confirmation
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    expect(await enabled()).toBe(true);
  });

  test("sees usage by member too, with the same totals", async ({ page, request }) => {
    const api = (await (
      await request.get(`/api/billing/usage?groupBy=member&billTo=${ORG}`, { headers: asUser(ROLES.pro) })
    ).json()) as { from: string; to: string; rows: unknown[]; total: { routed: { costNano: string } } };
    await page.goto(`${PAGE}?from=${api.from}&to=${api.to}`);
    const member = page.getByTestId("usage-table-member");
    await expect(member.getByTestId("usage-row")).toHaveCount(api.rows.length);
    const routed = BigInt(api.total.routed.costNano);
    await expect(page.getByTestId("summary-routed")).toHaveText(formatNano(routed));
    for (const table of ["model", "provider", "member"])
      await expect(
        page
          .getByTestId(`usage-table-${table}`)
          .getByTestId("usage-total")
          .locator('[data-column="routedCostNano"]'),
      ).toHaveText(formatNano(routed, "en-US", true));
  });
});

test.describe("a read member", () => {
  test.use({ storageState: storageState("reader") });

  test("sees the limit and providers read-only, and the API refuses their changes", async ({
    page,
    request,
  }) => {
    await page.goto(PAGE);
    const form = page.getByRole("region", { name: "Spending limit" });
    await expect(form.getByText("Only admins can change the spending limit.")).toBeVisible();
    await expect(form.getByLabel(/monthly limit/i)).toBeDisabled();
    await expect(form.getByRole("button", { name: /Set limit|Change limit/ })).toBeDisabled();
    const switches = page.getByRole("region", { name: "Providers" }).getByRole("switch");
    expect(await switches.count()).toBeGreaterThan(5);
    for (const s of await switches.all()) await expect(s).toBeDisabled();

    const headers = asUser(ROLES.reader);
    const limit = await request.put(`/api/organizations/${ORG}/spending-limit`, {
      headers,
      data: { limitCents: 1 },
    });
    expect(limit.status()).toBe(403);
    expect(await limit.json()).toMatchObject({ error: { code: "forbidden" } });
    const provider = await request.put(`/api/organizations/${ORG}/providers/groq`, {
      headers,
      data: { enabled: false },
    });
    expect(provider.status()).toBe(403);
    expect(await provider.json()).toMatchObject({ error: { code: "forbidden" } });

    // Nothing changed.
    const admin = asUser(ROLES.pro);
    const after = (await (
      await request.get(`/api/organizations/${ORG}/providers`, { headers: admin })
    ).json()) as {
      providers: { id: string; enabled: boolean }[];
    };
    expect(after.providers.find((p) => p.id === "groq")!.enabled).toBe(true);
  });
});
