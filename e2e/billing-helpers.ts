import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { expect, type Download, type Page } from "@playwright/test";
import { PDFParse } from "pdf-parse";
import { adminCli, signIn } from "./fixtures";
import { E2E_DATA_DIR } from "../playwright.config";

/**
 * The billing specs act on users of their own, made through the operator CLI against the e2e
 * server's database, so they never disturb the demo users other specs sign in as. They never
 * move the billing clock either (it is global and other specs share the server): past months
 * are billed by ingesting events dated in them, then closing those months.
 */
export const admin = (...args: string[]) => adminCli(E2E_DATA_DIR, ...args);

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function newUser(plan: "free" | "pro"): Promise<TestUser> {
  const email = `billing-${randomUUID().slice(0, 8)}@example.com`;
  const password = "a long e2e password";
  const { user } = (await admin("create-user", "--email", email, "--password", password, "--plan", plan)) as {
    user: { id: string };
  };
  return { id: user.id, email, password };
}

/** Signs in through the login form; with `card`, adds it through the JSON API (the first card is the default). */
export async function signInAs(page: Page, user: TestUser, card?: string) {
  await signIn(page, user.email, user.password);
  await page.waitForURL("**/settings/billing");
  if (card) {
    const res = await page.request.post("/api/billing/payment-methods", {
      headers: { origin: new URL(page.url()).origin },
      data: { number: card, expMonth: 12, expYear: 2099, cvc: "123" },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
}

let clockNow: Promise<Date> | undefined;

/** The billing clock's month (YYYY-MM) shifted by `delta` months (the clock is read once per worker). */
export async function billingMonth(delta: number): Promise<string> {
  clockNow ??= admin("clock").then((r) => new Date(r.now as string));
  const d = await clockNow;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + delta, 1)).toISOString().slice(0, 7);
}

let serviceToken: string | undefined;

/** Usage recorded the way an external router reports it: POST /api/usage/events with a service token. */
export async function ingest(
  baseURL: string,
  events: {
    userId: string;
    /** An org the user belongs to, to bill it instead of the user. */
    billTo?: string;
    provider: string;
    model: string;
    inputTokens: number;
    outputTokens: number;
    occurredAt: string;
  }[],
) {
  serviceToken ??= (
    (await admin("create-service-token", "--name", `e2e-billing-${randomUUID()}`)) as { token: string }
  ).token;
  const res = await fetch(`${baseURL}/api/usage/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${serviceToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      events: events.map((e) => ({ id: `e2e-${randomUUID()}`, mode: "routed", ...e })),
    }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/**
 * Closes a finished month. The app's own billing job (every minute) may be closing it at the
 * same moment; both are idempotent, and a lost race on the invoice's unique key is retried.
 */
export async function closeMonth(month: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin("close-month", month);
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

export async function pdfText(download: Download): Promise<string> {
  const bytes = fs.readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** "$1,234.56" -> 123456 */
export const cents = (text: string) => {
  const m = /(-?)\$([\d,]+)\.(\d{2})/.exec(text);
  if (!m) throw new Error(`No amount in ${text}`);
  return (m[1] ? -1 : 1) * Number(m[2]!.replace(/,/g, "") + m[3]);
};
