import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupDatabase } from "./backup";
import { DatabaseFileError } from "./database-file";
import { defaultMigrationsDir, migrateDatabase } from "./migrate";
import { commitRestore, DatabaseInUseError, databaseInUse, discardRestore, stageRestore } from "./restore";

const allMigrations = fs
  .readdirSync(defaultMigrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let tmp: string;
let target: string;
let backup: string;
const now = new Date("2026-12-04T18:15:00Z");

/** A migrated database with one row in a marker table, saying which database it is. */
async function makeDatabase(file: string, marker: string, migrationsDir?: string): Promise<void> {
  await migrateDatabase({ url: `file:${file}`, migrationsDir });
  const db = new Database(file);
  db.exec("CREATE TABLE IF NOT EXISTS marker (v TEXT)");
  db.prepare("INSERT INTO marker (v) VALUES (?)").run(marker);
  db.close();
}

function markers(file: string): string[] {
  // Read-write: a read-only connection to a WAL database leaves its -wal and -shm behind.
  const db = new Database(file);
  try {
    return (db.prepare("SELECT v FROM marker").all() as { v: string }[]).map((r) => r.v);
  } finally {
    db.close();
  }
}

/** The migrations folder cut to its first `n` migrations (an older version of Crux), or with one more (newer). */
function migrationsFolder(options: { first?: number; extra?: string }): string {
  const dir = fs.mkdtempSync(path.join(tmp, "migrations-"));
  for (const name of allMigrations.slice(0, options.first)) {
    fs.cpSync(path.join(defaultMigrationsDir, name), path.join(dir, name), { recursive: true });
  }
  if (options.extra) {
    fs.mkdirSync(path.join(dir, options.extra));
    fs.writeFileSync(path.join(dir, options.extra, "migration.sql"), 'CREATE TABLE "Later" ("id" TEXT);');
  }
  return dir;
}

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crux-restore-"));
  target = path.join(tmp, "data", "crux.db");
  backup = path.join(tmp, "backup.db");
  await makeDatabase(target, "backed up");
  await backupDatabase(target, backup);
  const db = new Database(target);
  db.prepare("INSERT INTO marker (v) VALUES (?)").run("written after the backup");
  db.close();
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const dataFiles = () => fs.readdirSync(path.dirname(target)).sort();

describe("restore", () => {
  it("keeps the current database aside and puts the backup in its place", async () => {
    const staged = stageRestore(backup, target, now);
    expect(staged.history).toEqual({ applied: allMigrations, pending: [], unknown: [] });
    expect(staged.contents).toEqual({ matches: {}, verdicts: 0 });
    const result = await commitRestore(staged);
    expect(result).toEqual({ applied: [], previous: `${target}.before-restore-20261204T181500Z` });
    expect(markers(target)).toEqual(["backed up"]);
    expect(markers(`${target}.before-restore-20261204T181500Z`)).toEqual(["backed up", "written after the backup"]);
    expect(dataFiles()).toEqual(["crux.db", "crux.db.before-restore-20261204T181500Z"]);
  });

  it("restores where there is no database yet", async () => {
    fs.rmSync(path.dirname(target), { recursive: true });
    const result = await commitRestore(stageRestore(backup, target, now));
    expect(result.previous).toBeNull();
    expect(markers(target)).toEqual(["backed up"]);
  });

  it("refuses while another connection has the database open, even an idle one, and changes nothing", async () => {
    const server = new Database(target);
    server.prepare("SELECT COUNT(*) FROM marker").get();
    expect(databaseInUse(target)).toBe(true);
    const staged = stageRestore(backup, target, now);
    await expect(commitRestore(staged)).rejects.toThrow(DatabaseInUseError);
    await expect(commitRestore(staged)).rejects.toThrow(/in use by another process/);
    discardRestore(staged);
    server.close();
    expect(databaseInUse(target)).toBe(false);
    expect(markers(target)).toEqual(["backed up", "written after the backup"]);
    expect(dataFiles()).toEqual(["crux.db"]);
  });

  it("accepts a backup from an older schema and migrates it", async () => {
    const older = path.join(tmp, "older.db");
    await makeDatabase(older, "older", migrationsFolder({ first: 3 }));
    const staged = stageRestore(older, target, now);
    expect(staged.history.pending).toEqual(allMigrations.slice(3));
    const result = await commitRestore(staged);
    expect(result.applied).toEqual(allMigrations.slice(3));
    expect(markers(target)).toEqual(["older"]);
    expect(stageRestore(target, path.join(tmp, "again.db"), now).history.pending).toEqual([]);
  });

  it("refuses a backup from a newer schema", async () => {
    const newer = path.join(tmp, "newer.db");
    await makeDatabase(newer, "newer", migrationsFolder({ extra: "20991231000000_later" }));
    expect(() => stageRestore(newer, target, now)).toThrow(
      /comes from a newer version of Crux: it has migrations this version does not know \(20991231000000_later\)/,
    );
    expect(dataFiles()).toEqual(["crux.db"]);
  });

  it("refuses files that are not sound Crux databases, naming the file and the reason", () => {
    const text = path.join(tmp, "notes.txt");
    fs.writeFileSync(text, "not a database\n");
    expect(() => stageRestore(text, target, now)).toThrow(`${text} is not a SQLite database`);

    const truncated = path.join(tmp, "truncated.db");
    const bytes = fs.readFileSync(backup);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(() => stageRestore(truncated, target, now)).toThrow(new RegExp(`^${truncated} is damaged`));

    const empty = path.join(tmp, "empty.db");
    fs.writeFileSync(empty, "");
    expect(() => stageRestore(empty, target, now)).toThrow(/is not a SQLite database/);

    const other = path.join(tmp, "other.db");
    const db = new Database(other);
    db.exec("CREATE TABLE t (x)");
    db.close();
    expect(() => stageRestore(other, target, now)).toThrow(
      `${other} is a SQLite database but not a Crux database (it has no _prisma_migrations table).`,
    );
    expect(() => stageRestore(path.join(tmp, "missing.db"), target, now)).toThrow(DatabaseFileError);
    // Only the database is left: every staged copy was removed.
    expect(dataFiles()).toEqual(["crux.db"]);
  });
});
