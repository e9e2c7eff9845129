import fs from "node:fs";
import path from "node:path";
import { sidecarFiles } from "./backup-files";
import {
  checkIntegrity,
  countContents,
  type DatabaseContents,
  DatabaseFileError,
  openDatabaseFile,
  readMigrationRecords,
  requireCruxSchema,
} from "./database-file";

/** Progress of a backup in database pages (SQLite's unit of copying). */
export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupOptions {
  /** Called between steps with the pages copied so far. */
  onProgress?: (progress: BackupProgress) => void;
  /** Pages copied per step (default 1024, 4 MB at SQLite's default page size). */
  pagesPerStep?: number;
}

/** A verified backup. */
export interface BackupResult {
  file: string;
  bytes: number;
  contents: DatabaseContents;
  /** Migrations applied in the backup (the same as in the source at the moment it was taken). */
  migrations: string[];
}

/**
 * Backs up a live Crux SQLite database to `destination` (which must not exist) while the server keeps serving and
 * writing, then verifies the copy before naming it as the destination.
 *
 * It uses SQLite's online backup API inside one read transaction on the source. Under WAL a reader never blocks
 * writers and sees one snapshot for as long as its transaction lasts, so the copy is exactly the database at the
 * moment the transaction began, while the server's commits go on into the WAL. Without that transaction the
 * backup API would take a fresh snapshot at every step and restart from page one each time another process
 * commits — on a busy server it might never finish. Copying in steps (instead of `VACUUM INTO`, which is one
 * opaque statement) gives progress, and it copies pages as they are rather than rebuilding every table and index.
 * The price of the long read is that checkpoints cannot pass it, so the WAL grows until the backup ends.
 *
 * The copy is then switched to rollback-journal mode (one self-contained file), checked with `integrity_check`,
 * and its migration history compared with the source's as read in the same snapshot.
 */
export async function backupDatabase(
  source: string,
  destination: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  if (!fs.existsSync(source)) throw new DatabaseFileError(`there is no database at ${source}`);
  if (fs.existsSync(destination)) {
    throw new DatabaseFileError(`${destination} already exists; choose another file with --out`);
  }
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  // Written under a temporary name, so a backup that fails or is interrupted never looks like a finished one.
  const partial = `${destination}.partial`;
  removeDatabaseFiles(partial);

  const pagesPerStep = options.pagesPerStep ?? 1024;
  const db = openDatabaseFile(source);
  let sourceMigrations: ReturnType<typeof readMigrationRecords>;
  try {
    db.exec("BEGIN");
    // The first read starts the snapshot that the whole backup copies.
    sourceMigrations = requireCruxSchema(db, source);
    await db.backup(partial, {
      progress: (progress) => {
        options.onProgress?.(progress);
        return pagesPerStep;
      },
    });
    db.exec("COMMIT");
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  } finally {
    db.close();
  }

  let result: Omit<BackupResult, "file" | "bytes">;
  try {
    result = verifyBackup(partial, sourceMigrations);
    fs.renameSync(partial, destination);
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  }
  return { file: destination, bytes: fs.statSync(destination).size, ...result };
}

function verifyBackup(
  file: string,
  sourceMigrations: ReturnType<typeof readMigrationRecords>,
): Omit<BackupResult, "file" | "bytes"> {
  const copy = openDatabaseFile(file);
  try {
    // The copy carries the source's WAL flag; rollback mode makes it one file that opens anywhere, even read-only.
    copy.pragma("journal_mode = DELETE");
    checkIntegrity(copy, file);
    const migrations = readMigrationRecords(copy);
    if (JSON.stringify(migrations) !== JSON.stringify(sourceMigrations)) {
      throw new DatabaseFileError(
        `the backup's migration history differs from the source's; the backup (${file}) is not usable`,
      );
    }
    return {
      contents: countContents(copy),
      migrations: migrations
        .filter((m) => m.finished_at !== null && m.rolled_back_at === null)
        .map((m) => m.migration_name),
    };
  } finally {
    copy.close();
  }
}

/** Removes a database file and whatever SQLite left beside it. */
export function removeDatabaseFiles(file: string): void {
  for (const f of [file, ...Object.values(sidecarFiles(file))]) fs.rmSync(f, { force: true });
}
