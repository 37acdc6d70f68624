import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import type { DemoCredentials } from "@/lib/seed/demo";
import { admin } from "./admin-cli";

/** The demo users the app seeded on its first start (see lib/seed/demo.ts). */
export function demo(): DemoCredentials {
  return JSON.parse(
    fs.readFileSync(path.join(".data-e2e", "demo-credentials.json"), "utf8"),
  ) as DemoCredentials;
}

export function demoUser(email: string) {
  const user = demo().users.find((u) => u.email === email);
  if (!user) throw new Error(`No demo user ${email}`);
  return user;
}

/** Signed-in sessions saved by auth.setup.ts, one per role we test. */
export const ROLES = {
  pro: "pro@example.com", // PRO user; admin of acme-ai (Team), write in globex (Enterprise)
  reader: "reader@example.com", // read in acme-ai and globex
  writer: "writer@example.com", // write in acme-ai
  free: "free@example.com", // Free user, member of no org
} as const;
export type Role = keyof typeof ROLES;
export const storageState = (role: Role) => path.join("test-results", ".auth", `${role}.json`);

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectSignedInAs(page: Page, email: string) {
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

/** The operator CLI (`npm run admin -- ...`) on an app's data directory; its one JSON answer. */
export const adminCli = (dataDir: string, ...args: string[]) => admin({ DATA_DIR: dataDir }, ...args);
