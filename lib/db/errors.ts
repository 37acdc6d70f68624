import { Prisma } from "./generated/client.ts";

/** A unique constraint refused the write (Prisma P2002, or PostgreSQL 23505 through raw SQL). */
export function isUniqueViolation(e: unknown): boolean {
  if (e instanceof Prisma.PrismaClientKnownRequestError) return e.code === "P2002";
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";
}
