// Database CLI (run with tsx): `migrate`, `seed`, `render`, `diff <name>`, `check`. See docs/database.md.
import fs from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { z } from "zod";
import { MigrationError, migrateDatabase } from "../lib/db/migrate";
import { type DbProvider, PROVIDER_FILES, writePostgresSchema } from "../lib/db/providers";
import { env } from "../lib/env";

const migrationName = z
  .string()
  .regex(/^[a-z0-9]+(?:_[a-z0-9]+)*$/, "use lowercase letters, digits and single underscores, e.g. add_match_notes")
  .max(100, "keep it under 100 characters");

function parseMigrationName(value: string): string {
  const result = migrationName.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}

/** Prisma's migration folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** A stamp later than every existing migration, so the new one sorts last even if the clock is behind. */
function nextStamp(dir: string): string {
  let stamp = utcStamp(new Date());
  const latest = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .map((name) => /^(\d{14})_/.exec(name)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort()
        .at(-1)
    : undefined;
  if (latest !== undefined && stamp <= latest) stamp = String(BigInt(latest) + 1n);
  return stamp;
}

const program = new Command("db")
  .description("Crux database tasks (SQLite and PostgreSQL; no native Prisma engine needed)")
  .showHelpAfterError()
  .helpCommand(true);

program
  .command("migrate")
  .description("apply pending migrations (prisma/migrations or prisma/postgresql/migrations) to DATABASE_URL")
  .action(async () => {
    const { applied } = await migrateDatabase({ log: (line) => console.log(line) });
    console.log(applied.length > 0 ? `Applied ${applied.length}: ${applied.join(", ")}` : "Database is up to date.");
  });

program
  .command("seed")
  .description("apply migrations, then load the question bank and the shipped recorded debates into DATABASE_URL")
  .action(async () => {
    await migrateDatabase({ log: (line) => console.log(line) });
    // Imported lazily so that migrate/diff/check work without loading the Prisma client or the question bank.
    const { createDb } = await import("../lib/db/client");
    const { seedQuestionBank } = await import("../lib/questions/seed");
    const db = createDb();
    try {
      const { passages, questions } = await seedQuestionBank(db, { log: (line) => console.log(line) });
      console.log(`Seeded ${passages} passages and ${questions} questions.`);
      const { seedShippedDebates } = await import("../lib/import/shipped-debates");
      console.log(`Seeded ${await seedShippedDebates(db)} recorded debates (dataset nyu-2023).`);
    } finally {
      await db.$disconnect();
    }
  });

/** The PostgreSQL server the schema engine works on for the PostgreSQL side of diff/check (dev only). */
function postgresServerUrl(): string {
  if (!env.CRUX_TEST_POSTGRES_URL) {
    throw new Error(
      "The PostgreSQL side of db:diff/db:check needs a PostgreSQL server (Prisma's schema engine renders and " +
        "replays migrations on it). Run it through npm (`npm run db:diff -- <name>`, `npm run db:check`), which " +
        "starts a throwaway one with scripts/services.sh, or set CRUX_TEST_POSTGRES_URL.",
    );
  }
  return env.CRUX_TEST_POSTGRES_URL;
}

/** Renders prisma/postgresql/schema.prisma and computes the missing SQL of each provider ("" when in sync). */
async function missingSql(): Promise<Record<DbProvider, string>> {
  if (writePostgresSchema()) console.log("Rendered prisma/postgresql/schema.prisma from prisma/schema.prisma.");
  const { diffMigrationsToSchema } = await import("../lib/db/schema-engine");
  return {
    sqlite: await diffMigrationsToSchema(),
    postgresql: await diffMigrationsToSchema({ postgresServerUrl: postgresServerUrl() }),
  };
}

const HAND_WRITTEN = /^\s*(CREATE TRIGGER|CREATE VIRTUAL TABLE|INSERT|UPDATE|DELETE)\b/im;

/**
 * SQLite migrations with hand-written SQL (triggers, FTS tables, backfills) that the schema engine cannot carry
 * over, newer than the PostgreSQL baseline and with no PostgreSQL migration of the same name: port them by hand.
 */
function unportedHandWritten(): string[] {
  const names = (dir: string) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /^\d{14}_/.test(name)) : [];
  const pgNames = names(PROVIDER_FILES.postgresql.migrationsDir);
  const ported = new Set(pgNames.map((name) => name.slice(15)));
  const baseline = pgNames.sort()[0] ?? "";
  return names(PROVIDER_FILES.sqlite.migrationsDir)
    .filter((name) => name.slice(0, 14) > baseline.slice(0, 14) && !ported.has(name.slice(15)))
    .filter((name) => {
      const file = path.join(PROVIDER_FILES.sqlite.migrationsDir, name, "migration.sql");
      return fs.existsSync(file) && HAND_WRITTEN.test(fs.readFileSync(file, "utf8"));
    });
}

function warnUnported(): void {
  for (const name of unportedHandWritten()) {
    console.warn(
      `warning: prisma/migrations/${name} has hand-written SQL (triggers, FTS, backfills) and no PostgreSQL ` +
        "migration of the same name: port it to prisma/postgresql/migrations by hand (docs/database.md).",
    );
  }
}

program
  .command("render")
  .description("write prisma/postgresql/schema.prisma from prisma/schema.prisma")
  .action(() => {
    console.log(writePostgresSchema() ? "Rendered prisma/postgresql/schema.prisma." : "Already current.");
  });

program
  .command("diff")
  .description("write <UTC timestamp>_<name>/migration.sql for each provider whose migrations lag schema.prisma")
  .argument("<name>", "migration name, snake_case", parseMigrationName)
  .action(async (name: string) => {
    const missing = await missingSql();
    let wrote = false;
    for (const provider of ["sqlite", "postgresql"] as const) {
      const sql = missing[provider];
      if (sql === "") {
        console.log(`${provider}: schema and migrations are in sync; nothing written.`);
        continue;
      }
      const base = PROVIDER_FILES[provider].migrationsDir;
      const dir = path.join(base, `${nextStamp(base)}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), sql);
      console.log(`${provider}: wrote ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}:\n\n${sql}`);
      wrote = true;
    }
    if (wrote) console.log("Review them, run `npm run db:migrate`, and commit them with schema.prisma.");
    warnUnported();
  });

program
  .command("check")
  .description("exit 1 if schema.prisma and either provider's migrations differ")
  .action(async () => {
    const missing = await missingSql();
    for (const provider of ["sqlite", "postgresql"] as const) {
      if (missing[provider] === "") {
        console.log(`${provider}: schema and migrations are in sync.`);
        continue;
      }
      console.error(
        `${provider}: schema.prisma and ${path.relative(process.cwd(), PROVIDER_FILES[provider].migrationsDir)} ` +
          `differ. Create a migration with \`npm run db:diff -- <name>\`.\nMissing SQL:\n\n${missing[provider]}`,
      );
      process.exitCode = 1;
    }
    warnUnported();
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Known failures get their message only; anything else keeps its stack for debugging.
  if (error instanceof MigrationError) console.error(`${error.message}\n(database: ${env.DATABASE_URL})`);
  else console.error(error);
  process.exitCode = 1;
}
