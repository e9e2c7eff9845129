import path from "node:path";

// File names for backups and restores. Pure, so the naming rules are unit-tested without touching a disk.

/** `20261204T181500Z`: UTC, sorts by time, and has no colons (safe in file names everywhere). */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(/[-:]/g, "");
}

/** The default backup of a database: `backups/<name>-<timestamp><ext>` in the database's folder. */
export function defaultBackupPath(databaseFile: string, date: Date): string {
  const ext = path.extname(databaseFile);
  const name = path.basename(databaseFile, ext);
  return path.join(path.dirname(databaseFile), "backups", `${name}-${fileTimestamp(date)}${ext || ".db"}`);
}

/** Where `crux restore` keeps the database it replaces: `<db>.before-restore-<timestamp>`. */
export function beforeRestorePath(databaseFile: string, date: Date): string {
  return `${databaseFile}.before-restore-${fileTimestamp(date)}`;
}

/** The private copy of a backup that `crux restore` checks (and migrates) before putting it in place. */
export function stagedRestorePath(databaseFile: string, date: Date): string {
  return `${databaseFile}.restoring-${fileTimestamp(date)}`;
}

/**
 * The files SQLite keeps beside a database: the write-ahead log, its shared-memory index and the rollback
 * journal. They belong to that database only: SQLite would replay a leftover WAL into whatever file next carries
 * the name, so they move or go together with it.
 */
export function sidecarFiles(databaseFile: string): { wal: string; shm: string; journal: string } {
  return { wal: `${databaseFile}-wal`, shm: `${databaseFile}-shm`, journal: `${databaseFile}-journal` };
}

/** `3.4 MB`: a size for people (powers of 1024, one decimal from KB up). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
