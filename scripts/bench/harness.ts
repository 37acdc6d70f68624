import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startOrAttachEmbedded } from "@/lib/db/embedded";
import { prepareDatabase } from "@/lib/server/prepare-database";
import { onFinish } from "./lifecycle";

/** A fresh embedded PostgreSQL with the schema and catalog, in a temporary folder. */
export async function benchDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  fs.chmodSync(dir, 0o755);
  const server = await startOrAttachEmbedded(dir);
  const stop = onFinish(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await prepareDatabase(server.url);
  return {
    url: server.url,
    /** The postmaster's pid: its process tree is the database's CPU (see treeCpuMs). */
    pid: () => Number(fs.readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]),
    stop,
  };
}

/** The real app (`scripts/start.ts`, building first if needed) on `port`, over `databaseUrl`. */
export async function startApp(
  databaseUrl: string,
  port: number,
): Promise<{ pid: number; stop: () => Promise<void> }> {
  // BENCH_PROFILE=<dir>: the app writes a V8 CPU profile there when it stops (Chrome DevTools).
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...startArguments()], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(os.tmpdir(), `bench-app-${port}`),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = stopOnFinish(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready on")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the app exited with ${code}`)));
  });
  return { pid: child.pid!, stop };
}

/** Node running `args` (a fake upstream, Portkey), resolved once it prints `ready`; stopped at the end. */
export async function spawnReady(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  stopOnFinish(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes(ready) && resolve());
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited (${code})`)));
  });
  return child;
}

/** Stops `child` (SIGTERM, waiting for its exit) when the run ends, or earlier through the result. */
function stopOnFinish(child: ChildProcess): () => Promise<void> {
  return onFinish(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  );
}

/** Node's arguments in `npm start` (package.json), so a bench measures the app as it is run. */
function startArguments(): string[] {
  const start: string = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts.start;
  const [command, ...args] = start.split(/\s+/);
  if (command !== "node") throw new Error(`npm start is not a node command: ${start}`);
  return args;
}

/** The middle value (the upper one of an even count): what each bench reports over its rounds. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]!;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * CPU time (user + system, ms) of a process and its live descendants, with what its exited
 * children used: read from /proc, so a figure per request holds however busy the machine is.
 */
export function treeCpuMs(rootPid: number): number {
  const ticks = 1000 / 100; // USER_HZ is 100 on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const f = raw.slice(raw.lastIndexOf(")") + 2).split(" "); // fields from the 3rd (state) on
      const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(f[i]));
      stats.set(Number(entry), { ppid: Number(f[1]), cpu: (utime! + stime! + cutime! + cstime!) * ticks });
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    total += stats.get(pid)?.cpu ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  return total;
}
