import path from "node:path";
import { z } from "zod";
import { DEFAULT_USAGE_RETENTION_MONTHS } from "@/lib/kernel/retention";

const optionalSecret = z
  .string()
  .min(1)
  .optional()
  .transform((v) => v || undefined);

/** Every environment variable the app reads, validated once. See the table in docs/operations.md. */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /**
     * The deployment's own environment. `npm start` serves with NODE_ENV=production (React's
     * production build) even for the local demo, so this, defaulting to the NODE_ENV it was
     * started with, decides what production forbids: the demo seed and moving the billing clock.
     */
    APP_ENV: z.enum(["development", "production", "test"]).optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Interface the app listens on. */
    HOST: z.string().min(1).default("0.0.0.0"),
    DATA_DIR: z.string().min(1).default(".data"),
    DATABASE_URL: z.url().optional(),
    NEXTAUTH_URL: z.url().optional(),
    NEXTAUTH_SECRET: optionalSecret,
    /** Trust X-Forwarded-For from a reverse proxy; otherwise the socket address is the client IP. */
    TRUST_PROXY: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
    /** The platform's provider credentials, JSON (see lib/router/upstreams-config.ts); none: the sandbox. */
    ROUTER_UPSTREAMS: optionalSecret,
    /** How long a provider may take to answer; also bounds the hold of compute-priced requests. */
    ROUTER_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
    /**
     * How long a routed request's hold lasts if it is never settled (the app died mid-request)
     * before the billing jobs release it. Longer than the upstream timeout, so a slow request
     * keeps its hold while it runs.
     */
    ROUTER_HOLD_TTL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
    /**
     * Whole months of raw usage events kept before the current one; older months' partitions are
     * dropped and their events refused at ingestion. Rollups, counters and invoices are kept.
     */
    USAGE_RETENTION_MONTHS: z.coerce.number().int().min(3).max(1200).default(DEFAULT_USAGE_RETENTION_MONTHS),
    /** SMTP server for alert emails, smtp[s]://user:pass@host:port; unset: emails stay in the in-app outbox. */
    SMTP_URL: optionalSecret,
    ALERTS_EMAIL_FROM: z.string().min(3).default("billing@localhost"),
    /**
     * Comma-separated hosts alert webhooks may reach although their addresses are not public,
     * and (outside production) over plain http: for a local receiver in development and tests.
     */
    ALERT_WEBHOOK_ALLOW_HOSTS: z
      .string()
      .default("")
      .transform((v, ctx) =>
        v
          .split(",")
          .map((h) => h.trim())
          .filter(Boolean)
          .map((h) => {
            const host = normaliseHost(h);
            if (!host)
              ctx.addIssue({ code: "custom", message: `${h} is not a host name (no port, no path).` });
            return host ?? "";
          }),
      ),
    GITHUB_ID: optionalSecret,
    GITHUB_SECRET: optionalSecret,
    GOOGLE_CLIENT_ID: optionalSecret,
    GOOGLE_CLIENT_SECRET: optionalSecret,
  })
  .refine((env) => env.ROUTER_HOLD_TTL_MS > env.ROUTER_UPSTREAM_TIMEOUT_MS, {
    message: "ROUTER_HOLD_TTL_MS must be longer than ROUTER_UPSTREAM_TIMEOUT_MS.",
    path: ["ROUTER_HOLD_TTL_MS"],
  });

export type Env = z.infer<typeof envSchema>;

export function isProduction(env: Env = readEnv()): boolean {
  return (env.APP_ENV ?? env.NODE_ENV) === "production";
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

export function dataDir(env: Env = readEnv()): string {
  return path.resolve(env.DATA_DIR);
}

/**
 * A host as the WHATWG URL parser writes it (lower case, IPv4 in dotted decimal, IPv6 in
 * brackets), so `0x7f000001` and `127.0.0.1` name the same host; null if it is not a bare host.
 */
export function normaliseHost(host: string): string | null {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  try {
    const url = new URL(`http://${bracketed}`);
    return url.host === url.hostname && url.pathname === "/" && !url.search && !url.hash && !url.username
      ? url.hostname
      : null;
  } catch {
    return null;
  }
}
