import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// A bench that starts a process (through the harness, as the benches do) and then fails, or is
// interrupted: the process it started must be gone when it exits.
// Inside the repository, so tsx finds its tsconfig (the "@/" paths the harness imports).
fs.mkdirSync("test-results", { recursive: true });
const dir = fs.mkdtempSync(path.resolve("test-results/lifecycle-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const fixture = (ending: string) => {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(
    file,
    `import { spawnReady } from ${JSON.stringify(path.resolve("scripts/bench/harness.ts"))};
     import { runToEnd } from ${JSON.stringify(path.resolve("scripts/bench/lifecycle.ts"))};
     await runToEnd(async () => {
       const child = await spawnReady(["-e", "console.log('ready'); setInterval(() => {}, 1000)"], {}, "ready");
       console.log("child " + child.pid);
       ${ending}
     });`,
  );
  return file;
};

/** Runs a fixture; `interrupt` is sent once it printed its child's pid. */
function run(file: string, interrupt?: NodeJS.Signals): Promise<{ code: number | null; childPid: number }> {
  const proc = spawn(process.execPath, ["--import", "tsx", file], { stdio: ["ignore", "pipe", "pipe"] });
  let childPid = 0;
  proc.stdout.on("data", (d: Buffer) => {
    const m = /child (\d+)/.exec(d.toString());
    if (m) {
      childPid = Number(m[1]);
      if (interrupt) proc.kill(interrupt);
    }
  });
  return new Promise((resolve) => proc.on("exit", (code) => resolve({ code, childPid })));
}

/** Whether `pid` still runs (a zombie, exited but not yet reaped, does not). */
const running = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

/** Whether `pid` is gone within a second (a signal takes a moment to end a process). */
async function gone(pid: number) {
  for (let i = 0; i < 20 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !running(pid);
}

describe("a bench stops what it started, however it ends", () => {
  it("when it throws: exit code 1, the child gone", async () => {
    const { code, childPid } = await run(fixture(`throw new Error("the bench failed");`));
    expect(childPid).toBeGreaterThan(0);
    expect(code).toBe(1);
    expect(await gone(childPid)).toBe(true);
  }, 30_000);

  it("when it is interrupted (SIGTERM) mid-run", async () => {
    const { code, childPid } = await run(fixture(`await new Promise(() => {});`), "SIGTERM");
    expect(code).not.toBe(0);
    expect(await gone(childPid)).toBe(true);
  }, 30_000);

  it("when it succeeds: exit code 0, the child gone", async () => {
    const { code, childPid } = await run(fixture(`return true;`));
    expect(code).toBe(0);
    expect(await gone(childPid)).toBe(true);
  }, 30_000);
});
