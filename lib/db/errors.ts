import { Prisma } from "./generated/client.ts";

/** A unique constraint refused the write (Prisma P2002, or PostgreSQL 23505 through raw SQL). */
export function isUniqueViolation(e: unknown): boolean {
  if (e instanceof Prisma.PrismaClientKnownRequestError) return e.code === "P2002";
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";
}

/** Connection-level SQLSTATEs: the server shut down, restarted, refused or dropped the connection. */
const UNAVAILABLE_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);
const UNAVAILABLE_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);

/**
 * The database cannot be reached right now (restarting, down, out of connections), as opposed to
 * a query it refused: worth a 503 and a retry, not a 500. Looks through wrapped causes (Prisma's
 * driver adapter wraps node-postgres errors).
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && typeof cur === "object" && depth < 5; depth++) {
    const { code, message } = cur as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_ERRNOS.has(code)))
      return true;
    if (
      typeof message === "string" &&
      /Connection terminated|connection timeout|Can't reach database/i.test(message)
    )
      return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
