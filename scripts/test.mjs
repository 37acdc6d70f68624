// `npm test`: typecheck, lint, unit + integration (Vitest, real embedded PostgreSQL), e2e
// (Playwright, Debian Chromium), every bench at its smoke size and the load test (`npm run load`,
// CI-sized), in that order.
// Every step runs even if an earlier one fails; the last line sums them up as "N passed,
// N failed" (typecheck, lint, each bench and the load test count as one check each).
import { spawnSync } from "node:child_process";
import fs from "node:fs";

fs.mkdirSync("test-results", { recursive: true });
let passed = 0;
let failed = 0;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: "0", ...env },
  });
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

for (const [label, args] of [
  ["typecheck", ["tsc", "--noEmit"]],
  ["lint", ["eslint", ".", "--max-warnings", "0"]],
  ["format", ["prettier", "--check", "."]],
]) {
  if (run(label, "npx", args)) passed += 1;
  else failed += 1;
}

const vitestReport = "test-results/vitest.json";
fs.rmSync(vitestReport, { force: true });
const vitestOk = run("unit + integration", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestReport}`,
]);
const vitest = readJson(vitestReport);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + (vitestOk || vitest.numFailedTests > 0 ? 0 : 1);
} else failed += 1;

const playwrightReport = "test-results/playwright.json";
fs.rmSync(playwrightReport, { force: true });
const e2eOk = run("e2e", "npx", ["playwright", "test"]);
const e2e = readJson(playwrightReport);
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected + (e2eOk || e2e.stats.unexpected > 0 ? 0 : 1);
} else failed += 1;

// Every bench at its smoke size (seconds each, after the e2e build): it must complete and its
// money checks hold; its timings are not judged here (docs/performance.md).
for (const bench of ["ingest", "authorize", "router", "dashboard"]) {
  if (run(`bench:${bench} (smoke)`, "npm", ["run", `bench:${bench}`], { BENCH_SMOKE: "1" })) passed += 1;
  else failed += 1;
}

// Last, so it reuses the build the e2e step made. 20 s of traffic: about 40 s with setup.
if (run("load", "npm", ["run", "load"], { LOAD_DURATION: process.env.LOAD_DURATION ?? "20" })) passed += 1;
else failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
