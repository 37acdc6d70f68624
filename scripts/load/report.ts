import fs from "node:fs";
import path from "node:path";
import { fmt, percentile } from "../bench/harness";
import type { Check } from "./agreement";
import type { RouteRun } from "./drive";
import type { RouteSpec } from "./tally";

export interface RouteFigures {
  route: string;
  connections: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  refused: number;
  errors: number;
  errorRate: number;
  eventsPerSecond?: number;
}

export function figuresOf(spec: RouteSpec, run: RouteRun): RouteFigures {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  const t = spec.tally;
  const round = (n: number, digits: number) => Number(n.toFixed(digits));
  return {
    route: spec.name,
    connections: spec.connections,
    requests: t.sent,
    rps: round(run.latenciesMs.length / (run.seconds || 1), 1),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    ok: t.ok,
    refused: t.refused,
    errors: t.errors,
    errorRate: t.sent ? round(t.errors / t.sent, 4) : 0,
    ...(spec.name === "ingest" ? { eventsPerSecond: Math.round(t.events / (run.seconds || 1)) } : {}),
  };
}

export function printReport(input: {
  heading: string;
  figures: RouteFigures[];
  samples: string[];
  checks: Check[];
  moneyAgrees: boolean;
}) {
  const cols = [
    "route",
    "conns",
    "requests",
    "req/s",
    "p50 ms",
    "p99 ms",
    "ok",
    "402 ok",
    "errors",
    "error rate",
  ];
  const rows = input.figures.map((f) => [
    f.route,
    String(f.connections),
    fmt(f.requests),
    fmt(f.rps, 1),
    fmt(f.p50Ms, 1),
    fmt(f.p99Ms, 1),
    fmt(f.ok),
    fmt(f.refused),
    fmt(f.errors),
    `${fmt(f.errorRate * 100, 2)}%`,
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(input.heading);
  console.log(line(cols));
  for (const r of rows) console.log(line(r));
  const ingest = input.figures.find((f) => f.route === "ingest");
  if (ingest?.eventsPerSecond)
    console.log(
      `  ingest: ${fmt(ingest.eventsPerSecond)} usage events/s acknowledged (a tenth re-sent duplicates)`,
    );
  for (const s of input.samples) console.log(`  error: ${s}`);
  console.log("  agreement:");
  for (const c of input.checks) console.log(`    ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  console.log(`  money agrees exactly: ${input.moneyAgrees ? "yes" : "NO"}`);
}

export function writeJson(file: string, data: unknown) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + "\n");
}
