import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startOrAttachEmbedded } from "@/lib/db/embedded";
import { prepareDatabase } from "@/lib/server/prepare-database";

export const TEMPLATE_DATABASE = "test_template";

/**
 * One real PostgreSQL for the whole integration run, in a fresh temporary directory, with a
 * migrated template database; each worker clones it into a database of its own (worker-db.ts).
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "billing-test-"));
  fs.chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root
  const server = await startOrAttachEmbedded(dir, "postgres");
  await ensureDatabase(server.url, TEMPLATE_DATABASE);
  await prepareDatabase(server.url.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`));
  project.provide("adminDatabaseUrl", server.url);
  return async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
