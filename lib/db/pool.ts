import "server-only";
import pg from "pg";

// A plain pg pool beside Prisma, for SQL that Prisma does not express (rate limiting, hot counters).
const globalForPool = globalThis as unknown as { pgPool?: pg.Pool };

export function getPool(): pg.Pool {
  if (globalForPool.pgPool) return globalForPool.pgPool;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides it.");
  globalForPool.pgPool = new pg.Pool({ connectionString: url, max: 10 });
  return globalForPool.pgPool;
}
