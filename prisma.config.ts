import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate` here: migrations are plain SQL applied by
// lib/db/migrate.ts (Prisma's schema engine cannot be downloaded on these machines).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
