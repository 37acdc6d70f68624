import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DATA_DIR = ".data-e2e";

// Debian's Chromium (apt) where present: Playwright's own browser download cannot run here.
const chromium =
  process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    timezoneId: "UTC",
    locale: "en-US",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"] },
      dependencies: ["setup"],
      testIgnore: /auth\.setup\.ts/,
    },
  ],
  webServer: {
    // The real app, started the way users start it, on a fresh data directory of its own.
    command: `rm -rf ${E2E_DATA_DIR} && npm start`,
    url: `http://localhost:${E2E_PORT}/login`,
    // The webhook receivers of the specs listen on 127.0.0.1: allow-listed, as for development.
    env: {
      DATA_DIR: E2E_DATA_DIR,
      PORT: String(E2E_PORT),
      HOST: "127.0.0.1",
      ALERT_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
    },
    timeout: 10 * 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
  },
});
