import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { env, isPostgresUrl, sqlitePath } from "../env";
import { type DbProvider, PROVIDER_FILES } from "./providers";

// Applies prisma/migrations (SQLite) or prisma/postgresql/migrations (PostgreSQL) at every server start without
// Prisma's native schema engine (which cannot be downloaded offline). It keeps Prisma's own bookkeeping table, `_prisma_migrations`, in Prisma's format, so where
// the native engine is installed `prisma migrate status/deploy` see these migrations as applied. See
// docs/database.md.

/** Prisma's DDL for the table, verbatim from the SQLite schema engine, so both tools share one history. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

/** The same table as Prisma's PostgreSQL schema engine creates it. */
const POSTGRES_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

/** The advisory lock key Prisma's engine takes while migrating PostgreSQL, so both tools serialize on it. */
const POSTGRES_ADVISORY_LOCK_KEY = 72707369;

/** Wait this long for another process's migration transaction before giving up (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 60_000;

/** The SQLite migrations (prisma/migrations). */
export const defaultMigrationsDir = PROVIDER_FILES.sqlite.migrationsDir;

export interface MigrateOptions {
  /**
   * SQLite `file:` URL (relative paths resolve against the project root) or PostgreSQL `postgresql://` URL;
   * default `DATABASE_URL`.
   */
  url?: string;
  /** Folder of `<name>/migration.sql` directories; default the provider's (prisma/migrations for SQLite). */
  migrationsDir?: string;
  log?: (line: string) => void;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: number | string | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: number | string | null;
}

/** Thrown when the database's migration history does not allow applying the folder (nothing was changed). */
export class MigrationError extends Error {
  override name = "MigrationError";
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Prisma's checksum is the sha256 of the file's bytes. Like Prisma, accept a file whose line endings were changed
 * by git (CRLF/LF) as unchanged, so a Windows checkout does not look like an edited history.
 */
function checksumMatches(file: MigrationFile, recorded: string): boolean {
  if (file.checksum === recorded) return true;
  const lf = file.sql.replaceAll("\r\n", "\n");
  return sha256(lf) === recorded || sha256(lf.replaceAll("\n", "\r\n")) === recorded;
}

/** Reads `<dir>/*\/migration.sql` in name order, as Prisma does (the timestamp prefix makes name order = time). */
export function readMigrations(dir: string, expected: DbProvider = "sqlite"): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`Migrations folder ${dir} does not exist.`);
  const lockFile = path.join(dir, "migration_lock.toml");
  if (fs.existsSync(lockFile)) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(fs.readFileSync(lockFile, "utf8"))?.[1];
    if (provider !== undefined && provider !== expected) {
      throw new MigrationError(`${lockFile} is for provider "${provider}", but the database is ${expected}.`);
    }
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql (${file}).`);
      const sql = fs.readFileSync(file, "utf8");
      return { name, sql, checksum: sha256(sql) };
    });
}

/**
 * Checks the recorded history against the folder and returns the first migration still to apply (or undefined).
 * Mirrors Prisma: rows with `rolled_back_at` set are ignored; a row that never finished is a failed migration
 * (Prisma's P3009) and blocks everything; an applied migration whose file changed is refused.
 */
function nextPending(
  files: MigrationFile[],
  rows: MigrationRow[],
  log: (line: string) => void,
  provider: DbProvider = "sqlite",
): MigrationFile | undefined {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} failed earlier and is recorded as failed in _prisma_migrations, so no ` +
        "migrations will be applied (Prisma's P3009).\n" +
        (failed.logs ? `Its error was: ${failed.logs}\n` : "") +
        resolveHint(failed.id, failed.migration_name, provider),
    );
  }
  const applied = new Map(live.map((row) => [row.migration_name, row]));
  for (const file of files) {
    const row = applied.get(file.name);
    if (row && !checksumMatches(file, row.checksum)) {
      throw new MigrationError(
        `Migration ${file.name} was already applied to this database but its migration.sql has changed since ` +
          `(checksum ${row.checksum} applied, ${file.checksum} on disk). Applied migrations must not be edited: ` +
          "restore the file and put the change in a new migration (npm run db:diff -- <name>).",
      );
    }
  }
  const known = new Set(files.map((file) => file.name));
  for (const name of applied.keys()) {
    if (!known.has(name)) log(`warning: migration ${name} is applied to the database but missing from the folder`);
  }
  return files.find((file) => !applied.has(file.name));
}

/**
 * Brings the SQLite database up to date with the migrations folder and returns the names it applied (oldest
 * first; empty when already up to date). Each migration runs in its own `BEGIN IMMEDIATE` transaction that also
 * re-reads the history, so concurrent starts on one file serialize on SQLite's write lock and never apply a
 * migration twice. A migration that fails is rolled back (SQLite DDL is transactional), recorded as failed the
 * way Prisma records it, and rethrown; later runs refuse until it is resolved.
 */
export async function migrateDatabase(options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const url = options.url ?? env.DATABASE_URL;
  if (isPostgresUrl(url)) return migratePostgres(url, options);
  const log = options.log ?? (() => {});
  const files = readMigrations(options.migrationsDir ?? defaultMigrationsDir);
  const file = sqlitePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });

  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  const applied: string[] = [];
  try {
    // WAL lets the app read while a writer (or this migrator) works; it is a property of the file and persists.
    setWalMode(db);
    // Prisma's table-redefinition migrations rely on `PRAGMA foreign_keys=OFF`, which is a no-op inside a
    // transaction; with enforcement on, their `DROP TABLE` would fire ON DELETE CASCADE on child rows. So apply
    // with enforcement off (SQLite's documented recipe for schema changes) and verify with foreign_key_check
    // before each commit instead.
    db.pragma("foreign_keys = OFF");
    // Created outside the per-migration transactions so that it survives a failed migration's rollback (the
    // failure is recorded in it); IF NOT EXISTS makes concurrent starts harmless.
    db.exec(MIGRATIONS_TABLE_DDL);

    const selectRows = db.prepare<[], MigrationRow>(
      `SELECT "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at"
         FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
    );
    for (;;) {
      db.exec("BEGIN IMMEDIATE");
      let migration: MigrationFile | undefined;
      const startedAt = Date.now();
      try {
        migration = nextPending(files, selectRows.all(), applied.length === 0 ? log : () => {});
        if (!migration) {
          db.exec("COMMIT");
          break;
        }
        db.exec(migration.sql);
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) {
          throw new Error(`foreign key check failed after the migration: ${JSON.stringify(violations.slice(0, 5))}`);
        }
        // Native Prisma stores these DATETIMEs as Unix milliseconds (and reads ms or ISO text), so use ms too.
        db.prepare(
          `INSERT INTO "_prisma_migrations"
             ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
        db.exec("COMMIT");
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        if (migration && !(error instanceof MigrationError)) {
          const id = recordFailure(db, migration, startedAt, error);
          throw new MigrationError(
            `Migration ${migration.name} failed and was rolled back: ${errorMessage(error)}\n` +
              `It is recorded as failed in _prisma_migrations. ${resolveHint(id, migration.name)}`,
          );
        }
        throw error;
      }
      applied.push(migration.name);
      log(`applied migration ${migration.name} (${Date.now() - startedAt} ms)`);
    }
  } finally {
    db.close();
  }
  return { applied };
}

/** Where a database's recorded migrations stand against the folder (see `readMigrationHistory`). */
export interface MigrationHistory {
  /** Applied migrations that the folder also has, oldest first. */
  applied: string[];
  /** Migrations of the folder that the database has not applied yet (an older database), oldest first. */
  pending: string[];
  /** Applied migrations the folder does not have: the database comes from a newer (or different) version. */
  unknown: string[];
}

/**
 * Compares the migration history recorded in an open database with the folder, changing nothing. Throws
 * `MigrationError` where `migrateDatabase` would refuse (a failed migration, an applied migration whose file has
 * changed). The database must have the `_prisma_migrations` table.
 */
export function readMigrationHistory(
  db: Database.Database,
  migrationsDir: string = defaultMigrationsDir,
): MigrationHistory {
  const files = readMigrations(migrationsDir);
  const rows = db
    .prepare<[], MigrationRow>(
      `SELECT "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at"
         FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
    )
    .all();
  return historyOf(files, rows, "sqlite");
}

/**
 * The PostgreSQL counterpart of the SQLite path above: the same history checks, each migration in its own
 * transaction (PostgreSQL DDL is transactional, so a failed one leaves nothing behind), and Prisma's advisory lock
 * held throughout, so concurrent starts (several instances) apply each migration exactly once.
 */
async function migratePostgres(url: string, options: MigrateOptions): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const files = readMigrations(options.migrationsDir ?? PROVIDER_FILES.postgresql.migrationsDir, "postgresql");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    // Notices ("relation already exists, skipping", "schema public already exists") are not worth printing.
    client.on("notice", () => {});
    await client.query("SELECT pg_advisory_lock($1)", [POSTGRES_ADVISORY_LOCK_KEY]);
    await client.query(POSTGRES_MIGRATIONS_TABLE_DDL);
    for (;;) {
      await client.query("BEGIN");
      let migration: MigrationFile | undefined;
      const startedAt = new Date();
      try {
        const rows = await client.query<MigrationRow>(
          `SELECT "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at"
             FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
        );
        migration = nextPending(files, rows.rows, applied.length === 0 ? log : () => {}, "postgresql");
        if (!migration) {
          await client.query("COMMIT");
          break;
        }
        // Without parameters node-postgres uses the simple query protocol, which runs a whole script.
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
             ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
           VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        if (migration && !(error instanceof MigrationError)) {
          const id = randomUUID();
          await client.query(
            `INSERT INTO "_prisma_migrations"
               ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
             VALUES ($1, $2, NULL, $3, $4, NULL, $5, 0)`,
            [id, migration.checksum, migration.name, errorMessage(error), startedAt],
          );
          throw new MigrationError(
            `Migration ${migration.name} failed and was rolled back: ${errorMessage(error)}\n` +
              `It is recorded as failed in _prisma_migrations. ${resolveHint(id, migration.name, "postgresql")}`,
          );
        }
        throw error;
      }
      applied.push(migration.name);
      log(`applied migration ${migration.name} (${Date.now() - startedAt.getTime()} ms)`);
    }
  } finally {
    await client.end();
  }
  return { applied };
}

/**
 * Where the database's recorded migrations stand against its provider's folder, through a Prisma client (either
 * provider), changing nothing; for readiness checks. Throws `MigrationError` where `migrateDatabase` would refuse.
 */
export async function migrationHistoryOf(
  db: { $queryRawUnsafe<T = unknown>(query: string): Promise<T> },
  provider: DbProvider,
): Promise<MigrationHistory> {
  const rows = await db.$queryRawUnsafe<MigrationRow[]>(
    `SELECT "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at"
       FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
  );
  return historyOf(readMigrations(PROVIDER_FILES[provider].migrationsDir, provider), rows, provider);
}

function historyOf(files: MigrationFile[], rows: MigrationRow[], provider: DbProvider): MigrationHistory {
  nextPending(files, rows, () => {}, provider);
  const live = new Set(rows.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
  const known = new Set(files.map((file) => file.name));
  return {
    applied: files.filter((file) => live.has(file.name)).map((file) => file.name),
    pending: files.filter((file) => !live.has(file.name)).map((file) => file.name),
    unknown: [...live].filter((name) => !known.has(name)).sort(),
  };
}

/** How to clear a failed attempt; the database rolled it back, so marking it rolled back is always correct. */
function resolveHint(id: string, name: string, provider: DbProvider = "sqlite"): string {
  const update =
    provider === "sqlite"
      ? `  sqlite3 <database file> "UPDATE _prisma_migrations SET rolled_back_at = ${Date.now()} WHERE id = '${id}';"`
      : `  psql "$DATABASE_URL" -c "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = '${id}';"`;
  return (
    "The database rolled the failed migration back, so after fixing it mark the attempt rolled back and start " +
    `again:\n${update}\n(or, with Prisma's native engine: npx prisma migrate resolve --rolled-back ${name})`
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Records a failed attempt as Prisma does (unfinished row with the error in `logs`), so later starts refuse. */
function recordFailure(db: Database.Database, migration: MigrationFile, startedAt: number, error: unknown): string {
  const id = randomUUID();
  db.prepare(
    `INSERT INTO "_prisma_migrations"
       ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
     VALUES (?, ?, NULL, ?, ?, NULL, ?, 0)`,
  ).run(id, migration.checksum, migration.name, errorMessage(error), startedAt);
  return id;
}

/**
 * Switches the file to WAL. The switch needs a moment of exclusive access and SQLite does not apply the busy
 * timeout to it, so concurrent starts (several processes on one fresh file) retry briefly instead of failing.
 */
function setWalMode(db: Database.Database): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if (attempt >= 100 || !/SQLITE_BUSY|database is locked/i.test(String(error))) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}
