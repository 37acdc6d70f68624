import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  expect,
  test,
  type APIRequestContext,
  type APIResponse,
  type PlaywrightWorkerArgs,
} from "@playwright/test";
import { DEFAULT_LIMITS } from "@/lib/auth/login-throttle";
import type { DemoCredentials } from "@/lib/seed/demo";
import { adminCli, signIn, storageState } from "./fixtures";
import { freshUser, passwordSignIn, SESSION_COOKIE, sessionCookie } from "./security-helpers";
import { sidePort, startApp, type AppProcess } from "./fault-harness";
import { E2E_DATA_DIR, E2E_PORT } from "../playwright.config";

// Most tests make users through the admin CLI (a process each), slow on a busy machine.
test.describe.configure({ timeout: 90_000 });

const base = `http://localhost:${E2E_PORT}`;
const HSTS = "max-age=63072000; includeSubDomains";
const EVIL = "https://evil.example";

/** The CSP's directives by name. */
function directives(csp: string | undefined): Map<string, string[]> {
  expect(csp, "a Content-Security-Policy header").toBeTruthy();
  return new Map(
    csp!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectBaseline(res: APIResponse) {
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  expect(res.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
}

test.describe("response headers", () => {
  test("a page: scripts only with this response's nonce, never framed", async ({ request }) => {
    const res = await request.get("/login");
    expect(res.status()).toBe(200);
    expectBaseline(res);
    const csp = directives(res.headers()["content-security-policy"]);
    const scriptSrc = csp.get("script-src")!;
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    // Over plain HTTP nothing may be upgraded to an HTTPS port that is not there.
    expect(csp.has("upgrade-insecure-requests")).toBe(false);

    const nonce = /^'nonce-(.+)'$/.exec(scriptSrc.find((s) => s.startsWith("'nonce-"))!)![1]!;
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    // Fresh for every response, and never taken from the request.
    const again = await request.get("/login", {
      headers: { "content-security-policy": "script-src 'nonce-chosen-by-client'" },
    });
    const againCsp = again.headers()["content-security-policy"]!;
    expect(againCsp).not.toContain(nonce);
    expect(againCsp).not.toContain("chosen-by-client");
    expect(await again.text()).not.toContain("chosen-by-client");
  });

  test("the 404 page gets a nonce too (it is rendered per request)", async ({ request }) => {
    const res = await request.get("/no-such-page");
    expect(res.status()).toBe(404);
    const nonce = /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    for (const tag of (await res.text()).match(/<script\b[^>]*>/g) ?? [])
      expect(tag).toContain(`nonce="${nonce}"`);
  });

  test("JSON APIs and the router: nothing loads, nothing frames", async ({ request }) => {
    for (const [url, method] of [
      ["/api/billing/usage", "GET"],
      ["/v1/models", "GET"],
      ["/api/usage/events", "POST"], // served off Next's pipeline by npm start, like /v1
    ] as const) {
      const res = await request.fetch(url, { method });
      expect(res.status(), url).toBe(401);
      expectBaseline(res);
      const csp = directives(res.headers()["content-security-policy"]);
      expect(csp.get("default-src"), url).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors"), url).toEqual(["'none'"]);
    }
  });

  test("no HSTS over plain HTTP, nor when an untrusted client claims HTTPS", async ({ request }) => {
    for (const [url, method] of [
      ["/login", "GET"],
      ["/api/billing/usage", "GET"],
      ["/v1/models", "GET"],
      ["/api/usage/events", "POST"],
    ] as const) {
      expect(
        (await request.fetch(url, { method })).headers()["strict-transport-security"],
        url,
      ).toBeUndefined();
      // No TRUST_PROXY here: the app drops X-Forwarded-Proto from clients.
      const spoofed = await request.fetch(url, { method, headers: { "x-forwarded-proto": "https" } });
      expect(spoofed.headers()["strict-transport-security"], url).toBeUndefined();
    }
  });
});

test.describe("in the browser", () => {
  test.use({ storageState: storageState("pro") });

  test("pages run under the CSP without a single violation", async ({ page }) => {
    const problems: string[] = [];
    // Console errors, except resource failures: those are listed with their URL below (the
    // browser's own /favicon.ico request, which this app does not serve, is not a page's).
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
        problems.push(`console: ${m.text()}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().endsWith("/no-such-page")) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.exposeFunction("reportViolation", (v: string) => problems.push(`csp: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
          `${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
        );
      });
    });

    for (const url of ["/settings/billing", "/settings/tokens", "/organizations/acme-ai/settings/billing"]) {
      expect((await page.goto(url))!.status(), url).toBe(200);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    }
    // recharts draws its SVG only in the browser, after measuring: scripts ran, styles applied.
    await page.goto("/settings/inference-providers");
    await expect(page.getByTestId("daily-chart").getByRole("application")).toBeVisible();
    expect(await page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    // A client-side dialog (React state, focus handling) on the org page.
    await page.goto("/organizations/acme-ai/settings/inference-providers");
    await page.getByTestId("provider-groq").getByRole("switch").click();
    const dialog = page.getByRole("dialog", { name: /Switch off Groq for/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    // Client-side navigation loads more scripts: allowed through 'strict-dynamic'.
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Access tokens" })
      .click();
    await expect(page).toHaveURL(/\/settings\/tokens$/);
    // The 404 page, rendered with its own nonce.
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Back to your settings" }).click();
    await expect(page).toHaveURL(/\/settings\/billing$/);

    expect(problems).toEqual([]);
  });
});

type Playwright = PlaywrightWorkerArgs["playwright"];

/** An API client with no cookies. */
const anonymous = (playwright: Playwright, baseURL = base) =>
  playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });

/** An API client signed in (session cookie) as a fresh user of the main app. */
async function signedInClient(playwright: Playwright, label: string) {
  const user = await freshUser(label);
  const ctx = await anonymous(playwright);
  expect(await passwordSignIn(ctx, user.email, user.password)).toBeNull();
  return { user, ctx };
}

/** The signed-in user's page, whose header names who is signed in. */
const billingPage = async (ctx: APIRequestContext) => (await ctx.get("/settings/billing")).text();

test.describe("cross-origin changes with the session cookie", () => {
  test("POST, PUT and DELETE from another origin, a null origin or no origin are refused, and change nothing", async ({
    playwright,
  }) => {
    const { ctx } = await signedInClient(playwright, "csrf");
    const own = { origin: base };
    // Same-origin changes work (so the refusals below are about the origin, nothing else).
    const created = await ctx.post("/api/settings/tokens", { headers: own, data: { name: "kept" } });
    expect(created.status()).toBe(201);
    const tokenId = ((await created.json()) as { record: { id: string } }).record.id;
    const keyPut = await ctx.put("/api/settings/provider-keys/together", {
      headers: own,
      data: { key: "sk-own-key-1234" },
    });
    expect(keyPut.status()).toBe(200);

    const foreign: [string, Record<string, string>][] = [
      ["another origin", { origin: EVIL }],
      ["a null origin (sandboxed frame, data: URL)", { origin: "null" }],
      ["no origin", {}],
      ["a look-alike host", { origin: `http://localhost:${E2E_PORT}.evil.example` }],
    ];
    for (const [label, headers] of foreign) {
      const attempts = [
        await ctx.post("/api/settings/tokens", { headers, data: { name: "csrf" } }),
        await ctx.put("/api/settings/provider-keys/together", { headers, data: { key: "sk-evil-key-6666" } }),
        await ctx.delete(`/api/settings/provider-keys/together`, { headers }),
        await ctx.delete(`/api/settings/tokens/${tokenId}`, { headers }),
      ];
      for (const res of attempts) {
        expect(res.status(), label).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: "cross_origin" } });
      }
    }

    // Read back: the token is still there and alone, the key unchanged.
    const tokens = (await (await ctx.get("/api/settings/tokens")).json()) as { tokens: { id: string }[] };
    expect(tokens.tokens.map((t) => t.id)).toEqual([tokenId]);
    expect(await (await ctx.get("/api/settings/provider-keys")).json()).toMatchObject({
      keys: [{ providerId: "together", last4: "1234" }],
    });
    await ctx.dispose();
  });

  test("server actions: the app has none, and a forged action call from another origin does nothing", async ({
    playwright,
  }) => {
    const { ctx } = await signedInClient(playwright, "action");
    for (const origin of [EVIL, "null"]) {
      const res = await ctx.post("/settings/tokens", {
        headers: {
          origin,
          "next-action": randomBytes(21).toString("hex"), // the shape of a server action id
          "content-type": "text/plain;charset=UTF-8",
        },
        data: JSON.stringify([{ name: "from-action" }]),
      });
      // Next.js refuses unknown actions (409 "Server Action unavailable") before anything runs;
      // were there actions, its own Origin-vs-Host check would refuse these first (a `null`
      // origin included, unless listed in serverActions.allowedOrigins).
      expect(res.ok(), origin).toBe(false);
      expect(res.headers()["x-nextjs-action-not-found"], origin).toBe("1");
    }
    expect(await (await ctx.get("/api/settings/tokens")).json()).toEqual({ tokens: [] });
    await ctx.dispose();
  });
});

test.describe("sessions", () => {
  test("a session cookie planted before sign-in is replaced, never adopted", async ({
    browser,
    playwright,
  }) => {
    const victim = await freshUser("victim");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const planted = "attacker-chosen-session-value";
    await context.addCookies([{ name: SESSION_COOKIE, value: planted, url: base }]);
    const page = await context.newPage();
    await signIn(page, victim.email, victim.password);
    await page.waitForURL("**/settings/billing");
    const issued = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
    expect(issued).not.toBe(planted);
    await context.close();

    // A valid session of the attacker's own, planted in the victim's client, is replaced at
    // sign-in too: the victim's session is a new one the attacker does not hold.
    const attacker = await freshUser("attacker");
    const attackerCtx = await anonymous(playwright);
    expect(await passwordSignIn(attackerCtx, attacker.email, attacker.password)).toBeNull();
    const attackerCookie = (await sessionCookie(attackerCtx))!;
    const victimCtx = await playwright.request.newContext({
      baseURL: base,
      storageState: {
        cookies: [
          {
            name: SESSION_COOKIE,
            value: attackerCookie,
            domain: "localhost",
            path: "/",
            expires: -1,
            httpOnly: true,
            secure: false,
            sameSite: "Lax",
          },
        ],
        origins: [],
      },
    });
    expect(await passwordSignIn(victimCtx, victim.email, victim.password)).toBeNull();
    expect(await sessionCookie(victimCtx)).not.toBe(attackerCookie);
    expect(await billingPage(victimCtx)).toContain(victim.email);
    const attackerView = await billingPage(attackerCtx);
    expect(attackerView).toContain(attacker.email);
    expect(attackerView).not.toContain(victim.email);
    await Promise.all([attackerCtx.dispose(), victimCtx.dispose()]);
  });

  test("after sign-out, a copy of the session cookie no longer works; other sessions do", async ({
    browser,
    playwright,
  }) => {
    const user = await freshUser("signout");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await signIn(page, user.email, user.password);
    await page.waitForURL("**/settings/billing");
    const copied = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
    // The same user on another device.
    const other = await anonymous(playwright);
    expect(await passwordSignIn(other, user.email, user.password)).toBeNull();

    const withCopy = async (url: string) => {
      const ctx = await anonymous(playwright);
      const res = await ctx.get(url, { headers: { cookie: `${SESSION_COOKIE}=${copied}` }, maxRedirects: 0 });
      const out = { status: res.status(), location: res.headers()["location"] };
      await ctx.dispose();
      return out;
    };
    expect((await withCopy("/api/settings/tokens")).status).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");

    expect((await withCopy("/api/settings/tokens")).status).toBe(401);
    const pageVisit = await withCopy("/settings/billing");
    expect(pageVisit.status).toBe(307);
    expect(pageVisit.location).toContain("/login");
    expect((await other.get("/api/settings/tokens")).status()).toBe(200);
    await Promise.all([context.close(), other.dispose()]);
  });
});

test("a revoked access token is refused by the JSON API and by the router", async ({
  playwright,
  request,
}) => {
  const { user, ctx } = await signedInClient(playwright, "revoke");
  const { token } = (await adminCli(
    E2E_DATA_DIR,
    "create-token",
    "--email",
    user.email,
    "--name",
    "soon-revoked",
  )) as {
    token: string;
  };
  const bearer = { authorization: `Bearer ${token}` };
  const chat = () =>
    request.post("/v1/chat/completions", {
      headers: bearer,
      data: {
        model: "meta-llama/Llama-3.3-70B-Instruct",
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 5,
      },
    });
  expect((await request.get("/api/settings/tokens", { headers: bearer })).status()).toBe(200);
  expect((await chat()).status()).toBe(200);

  const { tokens } = (await (await ctx.get("/api/settings/tokens")).json()) as { tokens: { id: string }[] };
  expect(tokens).toHaveLength(1);
  const revoked = await ctx.delete(`/api/settings/tokens/${tokens[0]!.id}`, { headers: { origin: base } });
  expect(revoked.status()).toBe(204);

  for (const res of [
    await request.get("/api/settings/tokens", { headers: bearer }),
    await chat(),
    await request.get("/v1/models", { headers: bearer }),
  ]) {
    expect(res.status(), res.url()).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_token" } });
  }
  await ctx.dispose();
});

// A second instance behind a "proxy" we trust (TRUST_PROXY=true): the only way for a test to
// speak HTTPS to the app (X-Forwarded-Proto) and to come from many client IPs (X-Forwarded-For).
test.describe("behind a trusted proxy", () => {
  test.describe.configure({ mode: "serial" });
  const DATA_DIR = ".data-e2e-security";
  const PORT = sidePort(24); // beside the main e2e server; ingest-crash and the fault specs take +21 to +23
  const url = `http://127.0.0.1:${PORT}`;
  let app: AppProcess | undefined;
  let proxied: APIRequestContext;

  test.beforeAll(async ({ playwright }) => {
    test.setTimeout(3 * 60_000);
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
    app = await startApp(PORT, { DATA_DIR, TRUST_PROXY: "true" });
    proxied = await anonymous(playwright, url);
    // One CSRF cookie for the concurrent sign-ins below (next-auth reuses a valid one).
    await proxied.get("/api/auth/csrf");
  });
  test.afterAll(async () => {
    await proxied?.dispose();
    await app?.kill(); // SIGTERM: the app stops its embedded PostgreSQL too
  });

  const demoPassword = (email: string) => {
    const creds = JSON.parse(
      fs.readFileSync(path.join(DATA_DIR, "demo-credentials.json"), "utf8"),
    ) as DemoCredentials;
    return creds.users.find((u) => u.email === email)!.password;
  };

  test("HSTS on every response that came over HTTPS, and only those", async () => {
    for (const path of ["/login", "/api/billing/usage", "/v1/models"]) {
      const https = await proxied.get(path, { headers: { "x-forwarded-proto": "https" } });
      expect(https.headers()["strict-transport-security"], path).toBe(HSTS);
      const http = await proxied.get(path, { headers: { "x-forwarded-proto": "http" } });
      expect(http.headers()["strict-transport-security"], path).toBeUndefined();
    }
    const page = await proxied.get("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(directives(page.headers()["content-security-policy"]).has("upgrade-insecure-requests")).toBe(true);
  });

  test("one client IP trying many accounts is throttled, even for a right password", async ({
    playwright,
  }) => {
    test.setTimeout(2 * 60_000);
    const from = (ip: string) => ({ "x-forwarded-for": ip });
    const attacker = from("203.0.113.7");
    const emails = Array.from(
      { length: DEFAULT_LIMITS.perIp.failuresBeforeDelay },
      (_, i) => `guess-${i}@example.com`,
    );
    for (let i = 0; i < emails.length; i += 5) {
      const codes = await Promise.all(
        emails.slice(i, i + 5).map((e) => passwordSignIn(proxied, e, "wrong-password", attacker)),
      );
      for (const code of codes) expect(code).toBe("CredentialsSignin");
    }
    const email = "writer@example.com";
    const password = demoPassword(email);
    const blocked = await anonymous(playwright, url);
    expect(await passwordSignIn(blocked, email, password, attacker)).toMatch(/^Throttled:\d+$/);
    expect(await sessionCookie(blocked)).toBeUndefined();
    // Another client is not locked out by the attacker.
    const elsewhere = await anonymous(playwright, url);
    expect(await passwordSignIn(elsewhere, email, password, from("198.51.100.20"))).toBeNull();
    expect(await sessionCookie(elsewhere)).toBeTruthy();
    await Promise.all([blocked.dispose(), elsewhere.dispose()]);
  });

  // The finding of issue 18: 5 failures for an email locked its owner out from every address.
  test("an attacker's failures for one account slow the attacker, not the owner at their own address", async ({
    playwright,
  }) => {
    const email = "reader@example.com";
    const password = demoPassword(email);
    const attacker = { "x-forwarded-for": "192.0.2.66" };
    for (let i = 0; i < DEFAULT_LIMITS.perPair.failuresBeforeDelay; i++) {
      expect(await passwordSignIn(proxied, email, `wrong-${i}`, attacker)).toBe("CredentialsSignin");
    }
    // A botnet's guesses, one from each of many addresses, count against those addresses only.
    for (let i = 1; i <= 10; i++) {
      expect(await passwordSignIn(proxied, email, `wrong-${i}`, { "x-forwarded-for": `192.0.2.${i}` })).toBe(
        "CredentialsSignin",
      );
    }
    const stillAttacker = await anonymous(playwright, url);
    expect(await passwordSignIn(stillAttacker, email, password, attacker)).toMatch(/^Throttled:\d+$/);
    expect(await sessionCookie(stillAttacker)).toBeUndefined();
    const owner = await anonymous(playwright, url);
    expect(await passwordSignIn(owner, email, password, { "x-forwarded-for": "198.51.100.30" })).toBeNull();
    expect(await sessionCookie(owner)).toBeTruthy();
    await Promise.all([stillAttacker.dispose(), owner.dispose()]);
  });
});
