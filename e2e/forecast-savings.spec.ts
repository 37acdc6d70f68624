import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { formatNano } from "@/lib/money/format";
import type { ForecastWire } from "@/lib/usage/month-forecast";
import type { SavingsWire } from "@/lib/usage/savings";
import { admin, newUser, signInAs } from "./billing-helpers";
import { demoUser, ROLES, storageState } from "./fixtures";

/** A demo user (their access token), or the signed-in session of the request context used. */
type Caller = { email: string } | "session";
const bearer = (caller: Caller): Record<string, string> =>
  caller === "session" ? {} : { authorization: `Bearer ${demoUser(caller.email).token}` };
const usd = (nano: string | bigint) => formatNano(BigInt(nano));
const usdFixed = (nano: string | bigint) => formatNano(BigInt(nano), "en-US", true);

async function getJson<T>(request: APIRequestContext, path: string, caller: Caller): Promise<T> {
  const res = await request.get(path, { headers: bearer(caller) });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as T;
}

/** The forecast facts on the page are the API's, to the displayed cent fraction, and so is the chart's line. */
async function expectForecast(page: Page, f: ForecastWire, isOrg: boolean) {
  await expect(page.getByTestId("forecast-projected")).toContainText(usd(f.projectedSpendNano));
  await expect(page.getByTestId("forecast-band")).toHaveText(
    f.band
      ? `likely ${usd(f.band.lowNano)} to ${usd(f.band.highNano)}`
      : "a range once two full days have passed",
  );
  await expect(page.getByTestId("forecast-rate")).toContainText(`${usd(f.ratePerDayNano)} a day`);
  const credits = page.getByTestId("forecast-credits").locator("[data-state]");
  await expect(credits).toHaveAttribute("data-state", f.credits.state);
  if (f.credits.state === "on") await expect(credits).toHaveAttribute("data-day", f.credits.day);
  if (isOrg && f.limit) {
    const limit = page.getByTestId("forecast-limit").locator("[data-state]");
    await expect(limit).toHaveAttribute("data-state", f.limit.state);
    if (f.limit.state === "on") await expect(limit).toHaveAttribute("data-day", f.limit.day);
  }
  if (f.payAsYouGo) {
    await expect(page.getByTestId("forecast-charges").locator("[data-count]")).toHaveAttribute(
      "data-count",
      String(f.thresholdChargesAhead),
    );
    await expect(page.getByTestId("forecast-charges")).toContainText(usd(f.projectedPaygNano));
  }
  // The default range (the past month) includes today: the dashed line ends at the month-end projection.
  await expect(page.getByTestId("chart-projection")).toHaveAttribute(
    "data-month-end-nano",
    f.projectedSpendNano,
  );
  await expect(page.getByTestId("daily-chart").locator(".recharts-line")).toHaveCount(1);
}

/** The savings table is the API's, line by line, and its current month is the breakdown's custom-key total. */
async function expectSavings(
  page: Page,
  request: APIRequestContext,
  s: SavingsWire,
  caller: Caller,
  billTo: string | null,
) {
  const lines = s.months.flatMap((m) => m.lines.map((l) => ({ month: m.month, ...l })));
  expect(lines.length).toBeGreaterThan(0);
  const section = page.getByRole("region", { name: "Savings from your own keys" });
  await expect(section.getByTestId("savings-row")).toHaveCount(lines.length);
  for (const m of s.months) {
    const body = section.locator(`[data-testid="savings-month"][data-month="${m.month}"]`);
    for (const l of m.lines) {
      const row = body.locator(`[data-provider="${l.providerId}"]`);
      await expect(row.locator('[data-column="requests"]')).toHaveText(l.requests.toLocaleString("en-US"));
      await expect(row.locator('[data-column="listPriceNano"]')).toHaveText(usdFixed(l.listPriceNano));
      await expect(row.locator('[data-column="billedNano"]')).toHaveText(usdFixed(l.billedNano));
    }
  }
  const total = section.getByTestId("savings-total");
  await expect(total.locator('[data-column="listPriceNano"]')).toHaveText(usdFixed(s.total.listPriceNano));
  await expect(total.locator('[data-column="billedNano"]')).toHaveText("$0.0000");
  await expect(total.locator('[data-column="requests"]')).toHaveText(
    s.total.requests.toLocaleString("en-US"),
  );

  // Same ledger: this month's savings are the breakdown's custom-key column for the month.
  const month = s.months[0]!;
  const next = new Date(Date.UTC(Number(month.month.slice(0, 4)), Number(month.month.slice(5, 7)), 1));
  const usage = await getJson<{ total: { customKey: { costNano: string; requests: number } } }>(
    request,
    `/api/billing/usage?from=${month.month}-01&to=${next.toISOString().slice(0, 10)}${billTo ? `&billTo=${billTo}` : ""}`,
    caller,
  );
  expect(usage.total.customKey.costNano).toBe(month.total.listPriceNano);
  expect(usage.total.customKey.requests).toBe(month.total.requests);
}

const pro = { email: ROLES.pro };
const reader = { email: ROLES.reader };

test.describe("forecast and savings on the user page", () => {
  test.use({ storageState: storageState("pro") });

  test("show the API's forecast, a projected line, and the custom-key savings", async ({ page, request }) => {
    const forecast = await getJson<ForecastWire>(request, "/api/billing/forecast", pro);
    const savings = await getJson<SavingsWire>(request, "/api/billing/savings", pro);
    expect(BigInt(forecast.projectedSpendNano)).toBeGreaterThanOrEqual(BigInt(forecast.spentSoFarNano));
    await page.goto("/settings/inference-providers");
    await expectForecast(page, forecast, false);
    await expectSavings(page, request, savings, pro, null);

    // A past range has nothing to project: no line.
    await page.getByRole("button", { name: "Last month" }).click();
    await expect(page).toHaveURL(/from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-01/);
    await expect(page.getByTestId("chart-projection")).toHaveCount(0);
  });
});

test.describe("forecast and savings on the org page", () => {
  test("an org of its own, over its limit: reached, and its members' custom-key savings", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000); // four operator CLI calls, each a process start, on a busy machine
    // A Team org and an admin of this test's own: the demo orgs' limits belong to other specs.
    const user = await newUser("free");
    const org = `fc-${randomUUID().slice(0, 8)}`;
    await admin("create-org", "--name", org, "--plan", "team", "--seats", "1");
    await admin("add-member", "--org", org, "--email", user.email, "--role", "admin");
    const { token: service } = (await admin("create-service-token", "--name", `e2e-${org}`)) as {
      token: string;
    };
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const event = (mode: "routed" | "custom_key", provider: string, model: string, inputTokens: number) => ({
      id: `e2e-${randomUUID()}`,
      userId: user.id,
      billTo: org,
      provider,
      model,
      mode,
      inputTokens,
      outputTokens: 0,
      occurredAt,
    });
    const ingest = await request.post("/api/usage/events", {
      headers: { authorization: `Bearer ${service}` },
      data: {
        events: [
          event("routed", "together", "deepseek-ai/DeepSeek-R1", 4_000_000), // $12: $2 of credits, $10 pay-as-you-go
          event("custom_key", "together", "deepseek-ai/DeepSeek-R1", 1_000_000), // $3, billed by the provider
          event("custom_key", "cohere", "CohereLabs/c4ai-command-r-plus", 100_000),
        ],
      },
    });
    expect(ingest.status(), await ingest.text()).toBe(200);
    await signInAs(page, user);
    const session = page.request;
    const limit = await session.put(`/api/organizations/${org}/spending-limit`, {
      headers: { origin: new URL(page.url()).origin },
      data: { limitCents: 500 },
    });
    expect(limit.status(), await limit.text()).toBe(200);

    const forecast = await getJson<ForecastWire>(session, `/api/billing/forecast?billTo=${org}`, "session");
    expect(forecast.limit).toEqual({ state: "reached" });
    expect(forecast.projectedPaygNano).toBe("10000000000");
    const savings = await getJson<SavingsWire>(session, `/api/billing/savings?billTo=${org}`, "session");
    expect(savings.months[0]!.lines.map((l) => l.providerId).sort()).toEqual(["cohere", "together"]);
    expect(savings.months[0]!.lines.find((l) => l.providerId === "together")!.listPriceNano).toBe(
      "3000000000",
    );

    await page.goto(`/organizations/${org}/settings/inference-providers`);
    await expectForecast(page, forecast, true);
    await expect(page.getByTestId("forecast-limit")).toContainText(
      "Reached: pay-as-you-go requests are refused",
    );
    await expectSavings(page, session, savings, "session", org);
  });

  test("a demo org, read by a member with the read role", async ({ browser, request }) => {
    const context = await browser.newContext({ storageState: storageState("reader") });
    const page = await context.newPage();
    const forecast = await getJson<ForecastWire>(request, "/api/billing/forecast?billTo=acme-ai", reader);
    const savings = await getJson<SavingsWire>(request, "/api/billing/savings?billTo=acme-ai", reader);
    await page.goto("/organizations/acme-ai/settings/inference-providers");
    await expectForecast(page, forecast, true);
    await expectSavings(page, request, savings, reader, "acme-ai");
    await context.close();
  });
});
