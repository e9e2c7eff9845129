import fs from "node:fs";
import Database from "better-sqlite3";
import { defaultMigrationsDir, MigrationError, type MigrationHistory, readMigrationHistory } from "./migrate";

// Checks that a file is a sound Crux SQLite database, for `crux backup` (its output) and `crux restore` (its
// input). Raw better-sqlite3 rather than Prisma: these files are not the app's database, and the checks
// (integrity_check, the migrations table) are below Prisma's level.

/** A file that is not a usable Crux database; the message says why, naming the file. */
export class DatabaseFileError extends Error {
  override name = "DatabaseFileError";
}

/** What a Crux database holds, for the reports of backup and restore. */
export interface DatabaseContents {
  /** Matches by status (`complete`, `running`, …). */
  matches: Record<string, number>;
  verdicts: number;
}

/** A migration as recorded in `_prisma_migrations`, in the columns that say what was applied. */
export interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: number | string | null;
  rolled_back_at: number | string | null;
}

const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Opens a SQLite file read-write, after checking that it starts with SQLite's header (so that a text file or an
 * archive is named as such rather than failing later with "file is not a database"). Read-write because opening
 * a WAL-mode file read-only needs its `-shm` beside it; callers pass files of their own (a fresh backup, a staged
 * copy), never the user's original.
 */
export function openDatabaseFile(file: string): Database.Database {
  let header: Buffer;
  try {
    const fd = fs.openSync(file, "r");
    try {
      header = Buffer.alloc(SQLITE_HEADER.length);
      fs.readSync(fd, header, 0, header.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw new DatabaseFileError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) {
    throw new DatabaseFileError(`${file} is not a SQLite database (it does not start with SQLite's header).`);
  }
  return new Database(file, { fileMustExist: true, timeout: 5000 });
}

/**
 * Runs SQLite's full `PRAGMA integrity_check` (every page, index and constraint) and throws a `DatabaseFileError`
 * quoting the first problems. A truncated or overwritten file fails here, or with SQLITE_CORRUPT on the way.
 */
export function checkIntegrity(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check);
  } catch (error) {
    throw new DatabaseFileError(`${file} is damaged: ${describeSqliteError(error)}`);
  }
  if (problems.length !== 1 || problems[0] !== "ok") {
    const shown = problems.slice(0, 3).join("; ");
    throw new DatabaseFileError(
      `${file} is damaged: integrity_check found ${problems.length} problem(s): ${shown}${problems.length > 3 ? "; …" : ""}`,
    );
  }
}

/** Throws unless the database has the migrator's `_prisma_migrations` table with at least one applied migration. */
export function requireCruxSchema(db: Database.Database, file: string): MigrationRecord[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
    .get() as unknown;
  if (!table) {
    throw new DatabaseFileError(
      `${file} is a SQLite database but not a Crux database (it has no _prisma_migrations table).`,
    );
  }
  const records = readMigrationRecords(db);
  if (!records.some((r) => r.finished_at !== null && r.rolled_back_at === null)) {
    throw new DatabaseFileError(`${file} is not a Crux database (no migration was ever applied to it).`);
  }
  return records;
}

/** The recorded migrations in a stable order, to compare one database's history with another's. */
export function readMigrationRecords(db: Database.Database): MigrationRecord[] {
  return db
    .prepare<[], MigrationRecord>(
      `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"
        ORDER BY "migration_name", "started_at", "id"`,
    )
    .all();
}

/** Matches by status and the number of verdicts. */
export function countContents(db: Database.Database): DatabaseContents {
  const rows = db
    .prepare<[], { status: string; n: number }>(`SELECT "status", COUNT(*) AS n FROM "Match" GROUP BY "status"`)
    .all();
  const verdicts = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "Verdict"`).get()?.n ?? 0;
  return { matches: Object.fromEntries(rows.map((r) => [r.status, r.n])), verdicts };
}

/** `12 matches (10 complete, 2 running), 9 verdicts`. */
export function describeContents(contents: DatabaseContents): string {
  const entries = Object.entries(contents.matches).sort(([, a], [, b]) => b - a);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const detail = entries.length ? ` (${entries.map(([status, n]) => `${n} ${status}`).join(", ")})` : "";
  return `${total} ${total === 1 ? "match" : "matches"}${detail}, ${contents.verdicts} ${contents.verdicts === 1 ? "verdict" : "verdicts"}`;
}

/** A backup checked for restoring: sound, Crux's, and from this version of the schema or an older one. */
export interface RestorableDatabase {
  contents: DatabaseContents;
  history: MigrationHistory;
}

/**
 * Checks a file to restore: a SQLite database (header), undamaged (integrity_check), Crux's (migrations table),
 * with a history this code can continue — an older schema is accepted (its `pending` migrations are applied
 * after), a newer one refused, since this code would misread tables it does not know.
 */
export function inspectRestorableDatabase(
  file: string,
  migrationsDir: string = defaultMigrationsDir,
): RestorableDatabase {
  const db = openDatabaseFile(file);
  try {
    checkIntegrity(db, file);
    requireCruxSchema(db, file);
    let history: MigrationHistory;
    try {
      history = readMigrationHistory(db, migrationsDir);
    } catch (error) {
      if (error instanceof MigrationError) throw new DatabaseFileError(`${file}: ${error.message}`);
      throw error;
    }
    if (history.unknown.length > 0) {
      throw new DatabaseFileError(
        `${file} comes from a newer version of Crux: it has migrations this version does not know ` +
          `(${history.unknown.join(", ")}). Restore it with that version (or a later one).`,
      );
    }
    return { contents: countContents(db), history };
  } finally {
    db.close();
  }
}

function describeSqliteError(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
