import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { formatNano } from "@/lib/money/format";
import { demoUser, ROLES, storageState } from "./fixtures";

interface Metrics {
  requests: number;
  costNano: string;
  creditsNano: string;
  paygNano: string;
}
interface Breakdown {
  from: string;
  to: string;
  rows: { key: string; label: string; routed: Metrics; customKey: Metrics }[];
  total: { routed: Metrics; customKey: Metrics };
}

const bearer = (email: string) => ({ authorization: `Bearer ${demoUser(email).token}` });

async function usageApi(request: APIRequestContext, email: string, query: string): Promise<Breakdown> {
  const res = await request.get(`/api/billing/usage?${query}`, { headers: bearer(email) });
  expect(res.status()).toBe(200);
  return (await res.json()) as Breakdown;
}

/** The total line of a breakdown table, by column. */
const totalCell = (page: Page, table: string, column: string) =>
  page.getByTestId(`usage-table-${table}`).getByTestId("usage-total").locator(`[data-column="${column}"]`);

async function expectTotalsMatch(page: Page, api: Breakdown, tables: string[]) {
  const routed = formatNano(BigInt(api.total.routed.costNano));
  const custom = formatNano(BigInt(api.total.customKey.costNano));
  await expect(page.getByTestId("summary-routed")).toHaveText(routed);
  await expect(page.getByTestId("summary-custom-key")).toHaveText(custom);
  await expect(page.getByTestId("summary-requests")).toHaveText(
    (api.total.routed.requests + api.total.customKey.requests).toLocaleString("en-US"),
  );
  // Tables show all four decimals, so their columns line up.
  const fixed = (nano: bigint) => formatNano(nano, "en-US", true);
  for (const table of tables) {
    await expect(totalCell(page, table, "routedCostNano")).toHaveText(
      fixed(BigInt(api.total.routed.costNano)),
    );
    await expect(totalCell(page, table, "customKeyCostNano")).toHaveText(
      fixed(BigInt(api.total.customKey.costNano)),
    );
    await expect(totalCell(page, table, "totalCostNano")).toHaveText(
      fixed(BigInt(api.total.routed.costNano) + BigInt(api.total.customKey.costNano)),
    );
    await expect(totalCell(page, table, "routedRequests")).toHaveText(
      api.total.routed.requests.toLocaleString("en-US"),
    );
  }
}

test.describe("usage breakdown", () => {
  test.use({ storageState: storageState("pro") });

  test("totals equal the API's, on every table, for the past month and another range", async ({
    page,
    request,
  }) => {
    const api = await usageApi(request, ROLES.pro, "groupBy=model");
    expect(api.rows.length).toBeGreaterThan(0);
    await page.goto(`/settings/inference-providers?from=${api.from}&to=${api.to}`);
    await expect(page.getByTestId("daily-chart")).toBeVisible();
    await expectTotalsMatch(page, api, ["model", "provider"]);
    await expect(page.getByTestId("usage-table-model").getByTestId("usage-row")).toHaveCount(api.rows.length);

    // Another range, from the picker: the URL follows and the numbers are the API's for it.
    await page.getByRole("button", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    const url = new URL(page.url());
    const week = await usageApi(
      request,
      ROLES.pro,
      `groupBy=provider&from=${url.searchParams.get("from")}&to=${url.searchParams.get("to")}`,
    );
    expect(week.total.routed.costNano).not.toBe(api.total.routed.costNano);
    await expectTotalsMatch(page, week, ["model", "provider"]);

    // A custom range typed in (the last day included), as an invoice link would give it.
    const last = new Date(Date.parse(api.to) - 2 * 86_400_000).toISOString().slice(0, 10);
    const first = new Date(Date.parse(api.to) - 4 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("From (UTC)").fill(first);
    await page.getByLabel("To (UTC, included)").fill(last);
    await page.getByRole("button", { name: "Show range" }).click();
    const to = new Date(Date.parse(last) + 86_400_000).toISOString().slice(0, 10);
    await expect(page).toHaveURL(new RegExp(`from=${first}&to=${to}`));
    await expectTotalsMatch(page, await usageApi(request, ROLES.pro, `from=${first}&to=${to}`), [
      "model",
      "provider",
    ]);
  });

  test("an invoice's month link opens that month", async ({ page, request }) => {
    const api = await usageApi(request, ROLES.pro, "groupBy=day");
    const month = api.to.slice(0, 7);
    const from = `${month}-01`;
    const to = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1))
      .toISOString()
      .slice(0, 10);
    await page.goto(`/settings/inference-providers?from=${from}&to=${to}`);
    await expect(page.getByLabel("From (UTC)")).toHaveValue(from);
    await expect(page.getByLabel("To (UTC, included)")).toHaveValue(
      new Date(Date.parse(to) - 86_400_000).toISOString().slice(0, 10),
    );
    const monthApi = await usageApi(request, ROLES.pro, `from=${from}&to=${to}`);
    if (monthApi.total.routed.requests + monthApi.total.customKey.requests > 0)
      await expectTotalsMatch(page, monthApi, ["model"]);
  });

  test("exports the table shown as CSV whose rows add up to its total and to the API", async ({
    page,
    request,
  }) => {
    const api = await usageApi(request, ROLES.pro, "groupBy=provider");
    await page.goto(`/settings/inference-providers?from=${api.from}&to=${api.to}`);
    // Sort by name first: the CSV follows what is shown.
    await page
      .getByTestId("usage-table-provider")
      .getByRole("button", { name: "Provider", exact: true })
      .click();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV of usage by provider" }).click();
    const file = await (await download).path();
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\r\n");
    const [header, ...rest] = lines;
    expect(header).toBe(
      "provider,routed_requests,custom_key_requests,input_tokens,output_tokens,compute_seconds,routed_cost_usd,custom_key_cost_usd,total_cost_usd",
    );
    const rows = rest.slice(0, -1).map((l) => l.split(","));
    const total = rest.at(-1)!.split(",");
    expect(total[0]).toBe("Total");
    expect(rows).toHaveLength(api.rows.length);
    expect(rows.map((r) => r[0])).toEqual(
      [...api.rows.map((r) => r.label)].sort((a, b) => a.localeCompare(b)),
    );
    // Exact sums: amounts in nano-dollars, seconds in milliseconds, counts as integers.
    const units = (s: string, scale: number) => {
      const [whole, fraction = ""] = s.split(".");
      return BigInt(whole!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
    };
    const scales = [0, 0, 0, 0, 3, 9, 9, 9];
    for (let c = 1; c <= 8; c++) {
      const sum = rows.reduce((s, r) => s + units(r[c]!, scales[c - 1]!), 0n);
      expect(sum, header!.split(",")[c]).toBe(units(total[c]!, scales[c - 1]!));
    }
    expect(units(total[6]!, 9)).toBe(BigInt(api.total.routed.costNano));
    expect(units(total[7]!, 9)).toBe(BigInt(api.total.customKey.costNano));
    expect(Number(total[1]) + Number(total[2])).toBe(
      api.total.routed.requests + api.total.customKey.requests,
    );
  });
});

test.describe("a user with no usage", () => {
  test.use({ storageState: storageState("writer") });

  test("sees how to make a first request", async ({ page }) => {
    await page.goto("/settings/inference-providers");
    await expect(page.getByTestId("usage-empty")).toContainText("No usage yet in this range");
    await expect(page.getByTestId("usage-empty")).toContainText("/v1/chat/completions");
  });
});
