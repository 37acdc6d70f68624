import { spawn, type ChildProcess } from "node:child_process";
import { runProcess } from "@/lib/testing/run-process";

// The operator CLI (`npm run admin -- ...`), run as node directly (no npm in between, so a
// SIGKILL reaches it), with `env` over ours: DATA_DIR or DATABASE_URL says which database.

const adminArgs = (args: string[]) => ["--import", "tsx", "scripts/admin.ts", ...args];

export function spawnAdmin(env: Record<string, string>, ...args: string[]): ChildProcess {
  return spawn(process.execPath, adminArgs(args), { env: { ...process.env, ...env }, stdio: "ignore" });
}

/** Runs one command to completion; its one JSON answer. */
export async function admin(
  env: Record<string, string>,
  ...args: string[]
): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runProcess(process.execPath, adminArgs(args), {
    ...process.env,
    ...env,
  });
  if (code !== 0) throw new Error(`admin ${args.join(" ")} exited ${code}: ${stderr || stdout}`);
  return JSON.parse(stdout) as Record<string, unknown>;
}
