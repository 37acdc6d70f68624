import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { adminCli } from "./fixtures";
import { E2E_DATA_DIR } from "../playwright.config";

/** next-auth's session cookie over plain HTTP (`__Secure-` prefixed over HTTPS). */
export const SESSION_COOKIE = "next-auth.session-token";

/** A new user of the main e2e app, so a test's changes and sign-outs touch no one else's. */
export async function freshUser(label: string, plan: "free" | "pro" = "free") {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const { user } = (await adminCli(
    E2E_DATA_DIR,
    "create-user",
    "--email",
    email,
    "--password",
    password,
    "--plan",
    plan,
  )) as {
    user: { id: string };
  };
  return { id: user.id, email, password };
}

/**
 * Signs in through next-auth's credentials endpoint, as the login form does; the context keeps
 * the session cookie. Returns next-auth's error code, or null when signed in.
 */
export async function passwordSignIn(
  ctx: APIRequestContext,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<string | null> {
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf", { headers })).json()) as {
    csrfToken: string;
  };
  const res = await ctx.post("/api/auth/callback/credentials", {
    headers,
    form: { email, password, csrfToken, json: "true" },
  });
  const { url } = (await res.json()) as { url: string };
  return new URL(url).searchParams.get("error");
}

/** The session cookie a context holds, if any. */
export async function sessionCookie(ctx: APIRequestContext): Promise<string | undefined> {
  return (await ctx.storageState()).cookies.find((c) => c.name === SESSION_COOKIE)?.value;
}
