import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma downloads its native schema engine from its own servers, which are unreachable offline. `prisma generate`
// never runs the engine but needs the path to exist, so point it at a stand-in unless a real engine is present
// (set explicitly, or downloaded by @prisma/engines where the network allows). See docs/database.md.
const enginesDir = path.join(import.meta.dirname, "node_modules", "@prisma", "engines");
const hasNativeEngine =
  fs.existsSync(enginesDir) && fs.readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
if (!hasNativeEngine) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "prisma", "schema-engine-offline.mjs");
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "file:./.data/crux.db" },
});
