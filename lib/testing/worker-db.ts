import { inject } from "vitest";
import { ensureDatabase } from "@/lib/db/embedded";
import { TEMPLATE_DATABASE } from "./global-setup";

// Each Vitest worker gets its own database, cloned from the migrated template.
const adminUrl = inject("adminDatabaseUrl");
const database = `test_worker_${process.env.VITEST_POOL_ID ?? "0"}`;
await ensureDatabase(adminUrl, database, TEMPLATE_DATABASE);
process.env.DATABASE_URL = adminUrl.replace(/\/postgres$/, `/${database}`);
