// `npm start`: the embedded PostgreSQL (unless DATABASE_URL is set), migrations and the price
// catalog, the demo seed on an empty database (never in production), a build if sources
// changed, then the app on PORT and the billing jobs every minute.
//
// npm start gives Node a 64 MB young generation (--max-semi-space-size in package.json): an
// ingestion batch keeps a thousand events' objects alive across its database round trips, and
// with the default 16 MB they were copied and promoted to the old generation instead of dying
// young (bench:ingest: the app's CPU per event 43 µs down to 40).
import { spawnSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import next from "next";
import { dataDir, isProduction, readEnv } from "@/lib/config/env";
import { localSecrets } from "@/lib/config/local-secrets";
import { openDatabase } from "@/lib/db/embedded";
import { prepareDatabase } from "@/lib/server/prepare-database";
import { createPrismaClient } from "@/lib/db/prisma";
import { seedDemoOnStart } from "@/lib/seed/demo";
import { needsBuild } from "@/lib/server/build-check";
import { runBillingJobs } from "@/lib/ledger/jobs";
import { paymentProcessorFromEnv } from "@/lib/payments";
import { v1Handler } from "@/lib/router/http";
import { ingestHandler } from "@/lib/api/ingest-http";
import { routerDepsFromEnv } from "@/lib/router/deps-from-env";
import { serveLight } from "@/lib/http/serve-fetch";
import { apiSecurityHeaders, isApiPath } from "@/lib/http/security-headers";
import { errorResponse } from "@/lib/http/error-response";
import { apiRequestProblem } from "@/lib/api/api-paths";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const root = path.resolve(import.meta.dirname, "..");
const env = readEnv();
process.env.APP_ENV ??= env.NODE_ENV; // kept when NODE_ENV becomes "production" for serving
const dir = dataDir(env);
const log = (message: string) => console.log(`[start] ${message}`);

const database = await openDatabase({ dataDir: dir, databaseUrl: env.DATABASE_URL });
log(env.DATABASE_URL ? "using DATABASE_URL" : `embedded PostgreSQL in ${path.join(dir, "postgres")}`);
const { applied } = await prepareDatabase(database.url);
log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

{
  const db = createPrismaClient(database.url);
  const seeded = await seedDemoOnStart(db, { dataDir: dir, production: isProduction(env) });
  await db.$disconnect();
  if (seeded) log(`seeded demo data; sign-ins and tokens are in ${path.join(dir, "demo-credentials.json")}`);
}

if (needsBuild(root)) {
  log("building the app (next build)...");
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) {
    await database.stop();
    process.exit(build.status ?? 1);
  }
}

process.env.DATABASE_URL = database.url;
process.env.NEXTAUTH_SECRET ??= localSecrets(dir).authSecret;
process.env.NEXTAUTH_URL ??= `http://localhost:${env.PORT}`;
(process.env as Record<string, string>).NODE_ENV = "production";

const app = next({ dev: false, dir: root, port: env.PORT, hostname: env.HOST });
const handle = app.getRequestHandler();
await app.prepare();

// The machine-to-machine APIs skip Next's page pipeline, which costs more than their own work:
// the inference API (the same handler the app's /v1 routes call) and usage ingestion.
const lightDb = createPrismaClient(database.url);
const v1 = v1Handler(routerDepsFromEnv(lightDb));
const ingest = ingestHandler(lightDb);
const lightHandlerFor = (url: string) =>
  url.startsWith("/v1/") ? v1 : url.split("?")[0] === "/api/usage/events" ? ingest : null;

const server = http.createServer((req, res) => {
  const target = req.url ?? "/";
  // A bad API path is answered here as the API's JSON error: Next would answer an HTML page, or
  // for an escape that is not UTF-8 a bare-text 500 without the security headers.
  const problem = isApiPath(target) ? apiRequestProblem(req.method ?? "GET", target) : null;
  const light = problem ? async () => errorResponse(problem) : lightHandlerFor(target);
  if (light) {
    // The same rule as Next's for its own responses: X-Forwarded-Proto, from a trusted proxy only.
    const https = env.TRUST_PROXY && String(req.headers["x-forwarded-proto"] ?? "").includes("https");
    serveLight(light, req, res, apiSecurityHeaders(https)).catch((e: unknown) => {
      console.error("[api]", e);
      if (!res.headersSent) res.writeHead(500).end();
    });
    return;
  }
  if (!env.TRUST_PROXY) {
    // Without a trusted proxy in front, forwarding headers come from the client: replace them
    // with what the socket says, so rate limits and origin checks cannot be fooled.
    req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
  }
  void handle(req, res);
});
// Requests Node cannot parse (headers over 16 KB, a malformed request line) get the API's JSON
// error and the security headers too, not Node's empty answer.
server.on("clientError", (e: NodeJS.ErrnoException, socket) => {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = e.code === "HPE_HEADER_OVERFLOW";
  const body = JSON.stringify({
    error: tooLarge
      ? { code: "headers_too_large", message: "The request headers are too large." }
      : { code: "bad_request", message: "The request is not valid HTTP." },
  });
  const headers = {
    ...apiSecurityHeaders(false),
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\n${head}\r\n${body}`,
  );
});
// A port already taken (another instance still running) ends the process instead of leaving it up, serving nothing.
server.once("error", (e) => {
  console.error(`[start] cannot listen on ${env.HOST}:${env.PORT}:`, e.message);
  void database.stop().finally(() => process.exit(1));
});
server.listen(env.PORT, env.HOST, () => log(`ready on http://localhost:${env.PORT}`));

// Billing jobs (threshold charges, renewals, month-end close) every minute, and once now.
const jobsDb = createPrismaClient(database.url);
const processor = paymentProcessorFromEnv(jobsDb);
const runJobs = () =>
  runBillingJobs(jobsDb, processor, { production: isProduction(env) })
    .then((r) => {
      if (!r.skipped && r.closed.length) log(`closed ${r.closed.map((c) => c.period).join(", ")}`);
    })
    .catch((e: unknown) => console.error("[billing-jobs]", e));
void runJobs();
const jobs = setInterval(runJobs, 60_000);

const shutdown = () => {
  clearInterval(jobs);
  server.close();
  void database.stop().finally(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
