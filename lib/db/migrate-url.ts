import { migrate } from "./migrate";
import { withClient } from "./with-client";

/** Applies pending migrations to the database at `url` (see migrate.ts). */
export function migrateUrl(url: string): Promise<{ applied: string[] }> {
  return withClient(url, (client) => migrate(client));
}
