import "server-only";
import { createPrismaClient, type Db } from "./prisma";

// One client per server process; in development modules reload, so it is kept on globalThis.
// Created on first use, not at import, so `next build` never needs a database.
const globalForDb = globalThis as unknown as { db?: Db };

export function getDb(): Db {
  if (globalForDb.db) return globalForDb.db;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides it.");
  globalForDb.db = createPrismaClient(url);
  return globalForDb.db;
}
