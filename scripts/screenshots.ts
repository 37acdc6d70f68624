// Screenshots of the settings pages for docs/pages.md: `npx tsx scripts/screenshots.ts` against a
// running demo (`npm start`): BASE_URL (default http://localhost:3000) and DATA_DIR (default .data,
// for the demo sign-ins). Writes docs/screenshots/*.png.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import type { DemoCredentials } from "@/lib/seed/demo";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const dataDir = process.env.DATA_DIR ?? ".data";
const demo = JSON.parse(
  fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8"),
) as DemoCredentials;
const pro = demo.users.find((u) => u.email === "pro@example.com")!;
const out = "docs/screenshots";
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
for (const colorScheme of ["light", "dark"] as const) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1280, height: 900 },
    colorScheme,
    locale: "en-US",
    timezoneId: "UTC",
  });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(pro.email);
  await page.getByLabel("Password").fill(pro.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/settings/billing");
  const shots: [string, string][] = [
    ["user-inference-providers", "/settings/inference-providers"],
    ["org-inference-providers", "/organizations/acme-ai/settings/inference-providers"],
  ];
  for (const [name, url] of shots) {
    await page.goto(url);
    await page.getByTestId("daily-chart").waitFor();
    await page.waitForLoadState("networkidle");
    if (colorScheme === "light" || name.startsWith("org"))
      await page.screenshot({ path: path.join(out, `${name}-${colorScheme}.png`), fullPage: true });
  }
  await context.close();
}
await browser.close();
console.log(`screenshots written to ${out}/`);
