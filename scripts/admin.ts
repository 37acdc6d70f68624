// Operator CLI: `npm run admin -- <command> [--flag value ...]`. Prints one JSON object on
// stdout; on a bad command or flag, a JSON error on stderr and exit code 2; on a refused
// operation (e.g. a taken email), a JSON error and exit code 1.
import { parseCommand, runCommand } from "@/lib/admin/cli";
import { dataDir, isProduction, readEnv } from "@/lib/config/env";
import { paymentProcessorFromEnv } from "@/lib/payments";
import { openDatabase } from "@/lib/db/embedded";
import { prepareDatabase } from "@/lib/server/prepare-database";
import { createPrismaClient } from "@/lib/db/prisma";

const parsed = parseCommand(process.argv.slice(2));
if (!parsed.ok) {
  console.error(JSON.stringify({ error: parsed.error }));
  process.exit(2);
}

const env = readEnv();
const database = await openDatabase({ dataDir: dataDir(env), databaseUrl: env.DATABASE_URL });
let exitCode = 0;
try {
  await prepareDatabase(database.url);
  const db = createPrismaClient(database.url);
  try {
    const ctx = { db, processor: paymentProcessorFromEnv(db), production: isProduction(env) };
    const result = await runCommand(ctx, parsed.name, parsed.flags);
    if (result.ok) {
      console.log(
        JSON.stringify(result.output, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      );
    } else {
      console.error(JSON.stringify({ error: result.error }));
      exitCode = result.exitCode;
    }
  } finally {
    await db.$disconnect();
  }
} finally {
  await database.stop();
}
process.exit(exitCode);
