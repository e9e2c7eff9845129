// Database CLI (run with tsx): `migrate`, `seed`, `diff <name>`, `check`. See docs/database.md.
import fs from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { z } from "zod";
import { defaultMigrationsDir, MigrationError, migrateDatabase } from "../lib/db/migrate";
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
  .description("Crux database tasks (SQLite; no native Prisma engine needed)")
  .showHelpAfterError()
  .helpCommand(true);

program
  .command("migrate")
  .description("apply pending prisma/migrations to DATABASE_URL")
  .action(async () => {
    const { applied } = await migrateDatabase({ log: (line) => console.log(line) });
    console.log(applied.length > 0 ? `Applied ${applied.length}: ${applied.join(", ")}` : "Database is up to date.");
  });

program
  .command("seed")
  .description("apply migrations, then load the question bank into DATABASE_URL")
  .action(async () => {
    await migrateDatabase({ log: (line) => console.log(line) });
    // Imported lazily so that migrate/diff/check work without loading the Prisma client or the question bank.
    const { createDb } = await import("../lib/db/client");
    const { seedQuestionBank } = await import("../lib/questions/seed");
    const db = createDb();
    try {
      const { passages, questions } = await seedQuestionBank(db, { log: (line) => console.log(line) });
      console.log(`Seeded ${passages} passages and ${questions} questions.`);
    } finally {
      await db.$disconnect();
    }
  });

program
  .command("diff")
  .description("write prisma/migrations/<UTC timestamp>_<name>/migration.sql bringing migrations up to schema.prisma")
  .argument("<name>", "migration name, snake_case", parseMigrationName)
  .action(async (name: string) => {
    const { diffMigrationsToSchema } = await import("../lib/db/schema-engine");
    const sql = await diffMigrationsToSchema();
    if (sql === "") {
      console.log("schema and migrations are in sync; nothing written.");
      return;
    }
    const dir = path.join(defaultMigrationsDir, `${nextStamp(defaultMigrationsDir)}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}:\n\n${sql}`);
    console.log("Review it, run `npm run db:migrate`, and commit it with schema.prisma.");
  });

program
  .command("check")
  .description("exit 1 if schema.prisma and prisma/migrations differ")
  .action(async () => {
    const { diffMigrationsToSchema } = await import("../lib/db/schema-engine");
    const sql = await diffMigrationsToSchema();
    if (sql !== "") {
      console.error(
        "schema.prisma and prisma/migrations differ. Create a migration with `npm run db:diff -- <name>`.\n" +
          `Missing SQL:\n\n${sql}`,
      );
      process.exitCode = 1;
      return;
    }
    console.log("schema and migrations are in sync.");
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Known failures get their message only; anything else keeps its stack for debugging.
  if (error instanceof MigrationError) console.error(`${error.message}\n(database: ${env.DATABASE_URL})`);
  else console.error(error);
  process.exitCode = 1;
}
