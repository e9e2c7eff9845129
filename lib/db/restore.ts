import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { removeDatabaseFiles } from "./backup";
import { beforeRestorePath, sidecarFiles, stagedRestorePath } from "./backup-files";
import { DatabaseFileError, inspectRestorableDatabase, type RestorableDatabase } from "./database-file";
import { defaultMigrationsDir, migrateDatabase } from "./migrate";

// `crux restore` in three steps, so that the command can ask for confirmation between them: stage (copy the
// backup beside the database and check the copy), then commit (migrate the copy if it is older, take the database
// from every other process, keep it aside, put the copy in its place) or discard.

/** How long to wait for other processes' locks before calling the database in use. */
const LOCK_TIMEOUT_MS = 1000;

/** A backup copied beside the database and checked, ready to be put in place. */
export interface StagedRestore extends RestorableDatabase {
  backup: string;
  target: string;
  /** The checked copy, `<db>.restoring-<timestamp>`. */
  staged: string;
  /** Where the current database will be kept, `<db>.before-restore-<timestamp>`. */
  previous: string;
}

/** Thrown when another process has the database open. */
export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
}

/**
 * Copies `backup` beside `target` and checks the copy (`inspectRestorableDatabase`). The user's backup file is
 * only read: checking opens a database read-write, which would add `-wal`/`-shm` files beside it.
 */
export function stageRestore(
  backup: string,
  target: string,
  now: Date,
  migrationsDir: string = defaultMigrationsDir,
): StagedRestore {
  if (!fs.existsSync(backup)) throw new DatabaseFileError(`there is no file ${backup}`);
  if (!fs.statSync(backup).isFile()) throw new DatabaseFileError(`${backup} is not a file`);
  const staged = stagedRestorePath(target, now);
  const previous = beforeRestorePath(target, now);
  if (fs.existsSync(previous)) throw new DatabaseFileError(`${previous} already exists; try again in a second`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  removeDatabaseFiles(staged);
  fs.copyFileSync(backup, staged);
  try {
    const inspected = inspectRestorableDatabase(staged, migrationsDir);
    settle(staged);
    return { backup, target, staged, previous, ...inspected };
  } catch (error) {
    removeDatabaseFiles(staged);
    if (error instanceof DatabaseFileError) throw new DatabaseFileError(error.message.replaceAll(staged, backup));
    throw error;
  }
}

/** Drops a staged copy (the user declined, or something failed). */
export function discardRestore(staged: StagedRestore): void {
  removeDatabaseFiles(staged.staged);
}

/**
 * Whether another process — the server, a `crux` command, an sqlite3 shell — has the database open.
 *
 * Under WAL, every connection holds a shared lock on the database file for as long as it is open (not only during
 * transactions), and a connection in `locking_mode = EXCLUSIVE` needs an exclusive lock on it before its first
 * read. So failing to get that lock within a second means someone has the file open, idle or not. This needs
 * nothing from the server (no pid file to go stale after a crash) and also catches CLI commands and shells.
 */
export function databaseInUse(file: string): boolean {
  const lock = lockExclusively(file);
  if (lock === "busy") return true;
  lock?.close();
  return false;
}

/**
 * Puts a staged backup in place of the database: migrates the copy when it is older than this code, takes the
 * database from every other process (refusing with `DatabaseInUseError` if it cannot), folds its WAL in, moves it
 * (with any WAL or journal) to `previous`, and renames the copy to the database's name. The current database is
 * never deleted; a leftover `-shm` (an index of the old WAL, rebuilt on open) is. Returns the migrations applied.
 */
export async function commitRestore(
  staged: StagedRestore,
  options: { migrationsDir?: string; log?: (line: string) => void } = {},
): Promise<{ applied: string[]; previous: string | null }> {
  const { target, previous } = staged;
  let applied: string[] = [];
  if (staged.history.pending.length > 0) {
    ({ applied } = await migrateDatabase({
      url: `file:${staged.staged}`,
      migrationsDir: options.migrationsDir,
      log: options.log,
    }));
    settle(staged.staged);
  }

  const exists = fs.existsSync(target);
  if (exists) {
    const lock = lockExclusively(target);
    if (lock === "busy") throw inUse(target);
    if (lock) {
      try {
        // With the lock held nobody else can write: fold the WAL into the file so the kept copy is one file.
        lock.pragma("wal_checkpoint(TRUNCATE)");
        lock.pragma("journal_mode = DELETE");
      } finally {
        lock.close();
      }
    }
    moveDatabaseFiles(target, previous);
  }
  const stale = sidecarFiles(target);
  fs.rmSync(stale.shm, { force: true });
  if (fs.existsSync(stale.wal) || fs.existsSync(stale.journal)) {
    // Someone opened the database by name after it was moved aside (SQLite then creates an empty one).
    throw new DatabaseInUseError(
      `a process opened ${target} during the restore, so the backup was not put in place: stop it and move ` +
        `${staged.staged} to ${target} by hand${exists ? ` (the previous database is ${previous})` : ""}.`,
    );
  }
  fs.renameSync(staged.staged, target);
  return { applied, previous: exists ? previous : null };
}

/** The error for a database another process has open. */
export function inUse(file: string): DatabaseInUseError {
  return new DatabaseInUseError(
    `${file} is in use by another process (the Crux server, or a crux command): stop it, then restore again.`,
  );
}

/**
 * An exclusive lock on the database, "busy" when another process holds a lock, or null when SQLite cannot lock
 * the file at all (a damaged database: restoring over it is the point, and it is kept aside, not deleted).
 */
function lockExclusively(file: string): Database.Database | "busy" | null {
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { fileMustExist: true, timeout: LOCK_TIMEOUT_MS });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
    return db;
  } catch (error) {
    db.close();
    if (error instanceof Database.SqliteError && /^SQLITE_BUSY/.test(error.code)) return "busy";
    return null;
  }
}

/** Moves a database and its WAL/journal to a new name, where SQLite will find them together. */
function moveDatabaseFiles(from: string, to: string): void {
  const source = sidecarFiles(from);
  const destination = sidecarFiles(to);
  fs.renameSync(from, to);
  if (fs.existsSync(source.wal)) fs.renameSync(source.wal, destination.wal);
  if (fs.existsSync(source.journal)) fs.renameSync(source.journal, destination.journal);
  fs.rmSync(source.shm, { force: true });
}

/** Leaves a database as one file: rollback-journal mode, no WAL or shared-memory file beside it. */
function settle(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
  fs.rmSync(sidecarFiles(file).shm, { force: true });
}
