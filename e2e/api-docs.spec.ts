import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string }>>;
}

test("GET /api/openapi.json is a public, cacheable OpenAPI 3.1 document listing the routes", async ({
  request,
}) => {
  const res = await request.get("/api/openapi.json");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  expect(res.headers()["cache-control"]).toContain("public");
  const doc = (await res.json()) as Doc;
  expect(doc.openapi).toMatch(/^3\.1\./);
  expect(Object.keys(doc.paths["/v1/chat/completions"] ?? {})).toEqual(["post"]);
  expect(Object.keys(doc.paths["/api/organizations/{org}/spending-limit"] ?? {}).sort()).toEqual([
    "get",
    "put",
  ]);
  expect(doc.paths["/api/usage/events"]?.post?.operationId).toBe("ingestEvents");
  expect(Object.keys(doc.paths).length).toBeGreaterThan(15);
});

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme}`, () => {
    test.use({ colorScheme: scheme });

    test("/docs/api renders every operation of the document, signed out, accessibly", async ({
      page,
      request,
    }) => {
      test.slow(); // a long page, and axe reads all of it
      const doc = (await (await request.get("/api/openapi.json")).json()) as Doc;
      const response = await page.goto("/docs/api");
      expect(response!.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
      await expect(page.getByRole("heading", { level: 3, name: "POST /v1/chat/completions" })).toBeVisible();
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      );
      const headings = await page.getByRole("heading", { level: 3 }).allTextContents();
      expect(headings.sort()).toEqual(operations.sort());
      // The chat example carries the billed cost, as the router answers it.
      await expect(page.locator("#chatCompletions")).toContainText('"billed_usd"');
      const results = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  });
}
