import { Prisma } from "./generated/client.ts";

/** A unique constraint refused the write (Prisma P2002, or PostgreSQL 23505 through raw SQL). */
export function isUniqueViolation(e: unknown): boolean {
  if (e instanceof Prisma.PrismaClientKnownRequestError) return e.code === "P2002";
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";
}

/**
 * PostgreSQL rolled the transaction back to break a deadlock (40P01) or a serialization conflict
 * (40001): nothing of it was written, and running it again is safe.
 */
export function isTransactionConflict(e: unknown): boolean {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === "40P01" || code === "40001";
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
/** Prisma's driver adapter's names for the same (DriverAdapterError's cause.kind). */
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|Can't reach database|connection error and is not queryable/i;
const isUnavailableCode = (c: unknown) =>
  typeof c === "string" && (UNAVAILABLE_CODES.has(c) || UNAVAILABLE_ERRNOS.has(c));

/**
 * The database cannot be reached right now (restarting, down, out of connections), as opposed to
 * a query it refused: worth a 503 and a retry, not a 500. Looks through wrapped errors: causes,
 * and Prisma's (a known request error keeps the driver's error in meta.driverAdapterError, whose
 * cause holds the SQLSTATE as originalCode).
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const queue = [e];
  for (let i = 0; i < queue.length && i < 10; i++) {
    const cur = queue[i];
    if (!cur || typeof cur !== "object") continue;
    const { code, originalCode, kind, message, cause, meta } = cur as Record<string, unknown>;
    if (isUnavailableCode(code) || isUnavailableCode(originalCode)) return true;
    if (typeof kind === "string" && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGE.test(message)) return true;
    queue.push(cause, (meta as { driverAdapterError?: unknown } | null | undefined)?.driverAdapterError);
  }
  return false;
}
