import pg from "pg";
import { migrate } from "./migrate";

/** Applies pending migrations to the database at `url` (see migrate.ts). */
export async function migrateUrl(url: string): Promise<{ applied: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await migrate(client);
  } finally {
    await client.end();
  }
}
