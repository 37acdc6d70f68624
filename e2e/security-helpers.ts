import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
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

/** An app instance of our own (`npm start`'s script on the shared build), with extra env. */
export async function startApp(
  dataDir: string,
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = ""; // drained (a full pipe would stall the app), the tail kept for the error below
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready on")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`app exited early (${code}): ${stderr}`)));
  });
}

/** Stops an app from startApp, and the embedded PostgreSQL it started. */
export async function stopApp(app: ChildProcess, dataDir: string): Promise<void> {
  if (app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    try {
      process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), "SIGINT");
    } catch {
      // already stopped with the app
    }
  }
}
