import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startOrAttachEmbedded } from "@/lib/db/embedded";
import { prepareDatabase } from "@/lib/server/prepare-database";

/** A fresh embedded PostgreSQL with the schema and catalog, in a temporary folder. */
export async function benchDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  fs.chmodSync(dir, 0o755);
  const server = await startOrAttachEmbedded(dir);
  await prepareDatabase(server.url);
  return {
    url: server.url,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real app (`scripts/start.ts`, building first if needed) on `port`, over `databaseUrl`. */
export async function startApp(databaseUrl: string, port: number): Promise<{ stop: () => Promise<void> }> {
  // BENCH_PROFILE=<dir>: the app writes a V8 CPU profile there when it stops (Chrome DevTools).
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, "--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(os.tmpdir(), `bench-app-${port}`),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready on")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the app exited with ${code}`)));
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]!;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
