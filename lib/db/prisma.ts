import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

/** Columns that hold secrets are left out of every query unless a query asks for them by name. */
const omitSecrets = {
  user: { passwordHash: true },
  apiToken: { tokenHash: true },
  providerKey: { ciphertext: true, iv: true, authTag: true },
} as const;

export function createPrismaClient(connectionString: string) {
  const adapter = new PrismaPg({ connectionString, max: 10 });
  return new PrismaClient({ adapter, omit: omitSecrets });
}

export type Db = ReturnType<typeof createPrismaClient>;
/** The client inside an interactive transaction. */
export type DbTx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
/** Either one: domain functions that do not open a transaction themselves accept both. */
export type DbOrTx = Db | DbTx;
