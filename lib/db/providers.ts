import fs from "node:fs";
import path from "node:path";
import { isPostgresUrl, projectRoot } from "../env";

// Crux runs on SQLite (embedded default) or PostgreSQL. A Prisma schema names one provider and Prisma bakes it into
// the generated client, so prisma/schema.prisma (SQLite) is the one source and prisma/postgresql/schema.prisma is
// rendered from it (provider and client folder swapped). Each provider has its own migrations folder. See
// docs/database.md, "PostgreSQL".

export type DbProvider = "sqlite" | "postgresql";

export interface ProviderFiles {
  provider: DbProvider;
  schemaPath: string;
  migrationsDir: string;
}

export const PROVIDER_FILES: Record<DbProvider, ProviderFiles> = {
  sqlite: {
    provider: "sqlite",
    schemaPath: path.join(projectRoot, "prisma", "schema.prisma"),
    migrationsDir: path.join(projectRoot, "prisma", "migrations"),
  },
  postgresql: {
    provider: "postgresql",
    schemaPath: path.join(projectRoot, "prisma", "postgresql", "schema.prisma"),
    migrationsDir: path.join(projectRoot, "prisma", "postgresql", "migrations"),
  },
};

/** The provider a database URL names: `postgres(ql)://` is PostgreSQL, `file:` is SQLite. */
export function providerOf(url: string): DbProvider {
  return isPostgresUrl(url) ? "postgresql" : "sqlite";
}

const RENDERED_HEADER =
  "// GENERATED from ../schema.prisma by `npm run db:render` (also run by db:diff and db:check): do not edit.\n" +
  "// The same models for PostgreSQL; see docs/database.md.\n\n";

/**
 * The PostgreSQL schema for the SQLite source: the datasource provider becomes `postgresql` and the client is
 * generated into lib/db/generated-pg. Everything else (models, defaults, indexes) is the same text, so both clients
 * have the same model types. Throws if the source no longer has the lines it swaps.
 */
export function renderPostgresSchema(source: string): string {
  const swaps: Array<[RegExp, string]> = [
    [/^(\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"'],
    [/^(\s*output\s*=\s*)"\.\.\/lib\/db\/generated"/m, '$1"../../lib/db/generated-pg"'],
  ];
  let text = source;
  for (const [pattern, replacement] of swaps) {
    if (!pattern.test(text))
      throw new Error(`prisma/schema.prisma no longer matches ${pattern}: update renderPostgresSchema`);
    text = text.replace(pattern, replacement);
  }
  return RENDERED_HEADER + text;
}

/** Writes prisma/postgresql/schema.prisma from prisma/schema.prisma; returns whether the file changed. */
export function writePostgresSchema(): boolean {
  const rendered = renderPostgresSchema(fs.readFileSync(PROVIDER_FILES.sqlite.schemaPath, "utf8"));
  const target = PROVIDER_FILES.postgresql.schemaPath;
  if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === rendered) return false;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, rendered);
  return true;
}

/** Whether prisma/postgresql/schema.prisma is the current rendering of prisma/schema.prisma. */
export function postgresSchemaIsCurrent(): boolean {
  const target = PROVIDER_FILES.postgresql.schemaPath;
  return (
    fs.existsSync(target) &&
    fs.readFileSync(target, "utf8") === renderPostgresSchema(fs.readFileSync(PROVIDER_FILES.sqlite.schemaPath, "utf8"))
  );
}
