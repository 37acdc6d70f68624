// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import { dataDir, readEnv } from "@/lib/config/env";
import { openDatabase } from "@/lib/db/embedded";
import { migrateUrl } from "@/lib/db/migrate-url";

const env = readEnv();
const database = await openDatabase({ dataDir: dataDir(env), databaseUrl: env.DATABASE_URL });
try {
  console.log(JSON.stringify(await migrateUrl(database.url)));
} catch (e) {
  console.error(JSON.stringify({ error: { code: "migration_failed", message: (e as Error).message } }));
  process.exitCode = 1;
} finally {
  await database.stop();
}
