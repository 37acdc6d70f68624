import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApp, type AppProcess } from "./fault-harness";

// Several app instances over one database, as docs/scaling.md runs them behind a load balancer:
// each a real `npm start` process (scripts/start.ts, the e2e build) with its own port and data
// folder, sharing only the database and the secrets every instance must agree on.

export interface Instance {
  port: number;
  url: string;
  app: AppProcess;
}

/** Starts one instance per port on `databaseUrl`, all at once; `env` goes to every one. */
export async function startInstances(
  databaseUrl: string,
  ports: number[],
  env: Record<string, string>,
): Promise<{ instances: Instance[]; stop(): Promise<void> }> {
  const shared = {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    // A key added on one instance is read by the others: the same ring everywhere.
    PROVIDER_KEY_ENCRYPTION_KEYS: `instances-1:${randomBytes(32).toString("base64")}`,
    ...env,
  };
  const dirs = ports.map((port) => fs.mkdtempSync(path.join(os.tmpdir(), `instance-${port}-`)));
  const started = await Promise.allSettled(
    ports.map((port, i) => startApp(port, { ...shared, DATA_DIR: dirs[i]! })),
  );
  const apps = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stop = async () => {
    await Promise.all(apps.map((a) => a.kill()));
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return {
    instances: apps.map((app, i) => ({ port: ports[i]!, url: `http://127.0.0.1:${ports[i]}`, app })),
    stop,
  };
}

export interface Answer {
  status: number;
  body: {
    model?: string;
    usage?: { cost: { billed_usd: string; mode: string; provider: string } };
    error?: { code: string };
  };
  requestId: string | null;
}

/** One chat completion on `instance`, as `token`, billed to `billTo`; throws only when the connection fails. */
export async function chat(
  instance: Instance,
  token: string,
  opts: { model: string; billTo?: string; content?: string; maxTokens?: number },
): Promise<Answer> {
  const res = await fetch(`${instance.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(opts.billTo ? { "x-hf-bill-to": opts.billTo } : {}),
    },
    body: JSON.stringify({
      model: opts.model,
      messages: [{ role: "user", content: opts.content ?? "Hi" }],
      max_tokens: opts.maxTokens ?? 16,
    }),
    signal: AbortSignal.timeout(20_000),
  });
  return {
    status: res.status,
    body: (await res.json()) as Answer["body"],
    requestId: res.headers.get("x-request-id"),
  };
}

/** A settings change through the JSON API of `instance`, as `token`; its status. */
export async function api(
  instance: Instance,
  token: string,
  method: "PUT" | "DELETE",
  pathname: string,
  body?: unknown,
): Promise<number> {
  const res = await fetch(`${instance.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}
