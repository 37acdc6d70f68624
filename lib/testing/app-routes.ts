import fs from "node:fs";
import path from "node:path";
import type { HttpMethod, RouteContract } from "@/lib/http/contract";

const APP = path.join(import.meta.dirname, "../../app");
const METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** next-auth's own sign-in endpoints: not part of this API (the document says so). */
export const NOT_IN_API = new Set(["/api/auth/{...nextauth}"]);

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** `app/api/billing/invoices/[number]/route.ts` → `/api/billing/invoices/{number}`; route groups `(x)` vanish. */
function openApiPath(file: string): string {
  const segments = path.relative(APP, path.dirname(file)).split(path.sep);
  return (
    "/" +
    segments
      .filter((s) => !/^\(.*\)$/.test(s))
      .map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))
      .join("/")
  );
}

/** The HTTP methods a route file exports: `export const GET`, `export async function POST`, `export { h as GET }`. */
function exportedMethods(source: string): HttpMethod[] {
  const found = new Set<HttpMethod>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Z]+)\b/g))
    if (METHODS.includes(m[1] as HttpMethod)) found.add(m[1] as HttpMethod);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (METHODS.includes(name as HttpMethod)) found.add(name as HttpMethod);
    }
  return [...found];
}

/** Every route handler file under app/ and the methods it exports, read from the source. */
export const appRoutes = routeFiles(APP).flatMap((file) =>
  exportedMethods(fs.readFileSync(file, "utf8")).map((method) => ({ file, method, path: openApiPath(file) })),
);

export type AppHandler = ((
  req: Request,
  ctx: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>) & { contract?: RouteContract };

/** The handler app/ serves for a route, imported as Next would. */
export async function appHandler(route: (typeof appRoutes)[number]): Promise<AppHandler | undefined> {
  const mod = (await import(route.file)) as Record<string, AppHandler>;
  return mod[route.method];
}
