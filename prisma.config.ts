// Prisma CLI configuration. Only `prisma generate` is used: migrations are plain SQL
// applied by lib/db/migrate.ts (see docs/architecture.md, "Migrations").
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
});
