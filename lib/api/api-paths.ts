import type { HttpMethod } from "@/lib/http/contract";
import { AppError } from "@/lib/kernel/errors";
import { CONTRACTS } from "./contracts";

/** Paths served by next-auth's own handler: not part of this API's contracts. */
const PASS_THROUGH = /^\/api\/auth(\/|$)/;

/** `/api/billing/invoices/{number}` → a pattern that takes one path segment for each parameter. */
const templates = (() => {
  const byPath = new Map<string, { pattern: RegExp; methods: HttpMethod[] }>();
  for (const { contract } of CONTRACTS) {
    const entry = byPath.get(contract.path) ?? {
      pattern: new RegExp(`^${contract.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      methods: [],
    };
    entry.methods.push(contract.method);
    byPath.set(contract.path, entry);
  }
  return [...byPath.values()];
})();

/**
 * What is wrong with a request to `/api` or `/v1` before any handler sees it, checked on the
 * request target as it arrived: an escape that is not UTF-8 or that encodes NUL (400), a path no
 * contract serves (404), a method the path does not take (405). Null when it may go on. Every
 * such answer is then the API's JSON error, not the HTML page or bare text the framework gives.
 */
export function apiRequestProblem(method: string, target: string): AppError | null {
  const [rawPath = "", rawQuery = ""] = target.split("?", 2);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
    decodeURIComponent(rawQuery.replaceAll("+", " "));
  } catch {
    return new AppError(400, "invalid_input", "The path or query has a percent-escape that is not UTF-8.");
  }
  if (path.includes("\u0000")) return new AppError(400, "invalid_input", "The path has a NUL character.");
  if (PASS_THROUGH.test(rawPath)) return null;
  const segments = rawPath.split("/");
  const entry = segments.some((s) => s === "." || s === ".." || /^(%2e|\.){1,2}$/i.test(s))
    ? undefined
    : templates.find((t) => t.pattern.test(rawPath));
  if (!entry) return new AppError(404, "not_found", `${rawPath} is not part of the API. See /docs/api.`);
  const allowed = entry.methods.includes("GET") ? [...entry.methods, "HEAD"] : entry.methods;
  if (method === "OPTIONS" || allowed.includes(method as HttpMethod)) return null;
  return new AppError(
    405,
    "method_not_allowed",
    `${method} is not allowed on ${rawPath}. Use ${entry.methods.join(" or ")}.`,
    {
      allow: allowed,
    },
  );
}
