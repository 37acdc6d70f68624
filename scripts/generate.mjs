// `prisma generate` offline: the CLI insists on finding its schema-engine binary before it
// generates, and cannot download it here. Generation never runs the engine, so any existing
// file satisfies the check.
import { spawnSync } from "node:child_process";

const result = spawnSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  },
});
process.exit(result.status ?? 1);
