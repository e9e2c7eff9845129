import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupDatabase } from "./backup";
import { DatabaseFileError, describeContents } from "./database-file";
import { defaultMigrationsDir, migrateDatabase } from "./migrate";

const allMigrations = fs
  .readdirSync(defaultMigrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let tmp: string;
let source: string;

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crux-backup-"));
  source = path.join(tmp, "crux.db");
  await migrateDatabase({ url: `file:${source}` });
  // Enough pages (about 2 MB) for the backup to take many small steps.
  const db = new Database(source);
  db.exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO filler (v) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < 4000; i++) insert.run("x".repeat(500));
  })();
  db.close();
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const count = (db: Database.Database) => (db.prepare("SELECT COUNT(*) AS n FROM filler").get() as { n: number }).n;

describe("backupDatabase", () => {
  it("copies one snapshot, in steps, while another connection keeps committing, and never restarts", async () => {
    const writer = new Database(source);
    const insert = writer.prepare("INSERT INTO filler (v) VALUES (?)");
    const before = count(writer);
    let steps = 0;
    let remaining = Number.POSITIVE_INFINITY;
    let restarted = false;
    const out = path.join(tmp, "backups", "copy.db");
    const result = await backupDatabase(source, out, {
      pagesPerStep: 16,
      onProgress: (progress) => {
        // Without the backup's own read transaction, each of these commits would send it back to page one.
        if (progress.remainingPages > remaining) restarted = true;
        remaining = progress.remainingPages;
        // (After a restart, stop writing, so that a regression fails fast instead of restarting forever.)
        if (restarted) return;
        insert.run("written during the backup");
        steps++;
      },
    });
    expect(steps).toBeGreaterThan(20);
    expect(restarted).toBe(false);
    expect(count(writer)).toBe(before + steps);
    writer.close();

    expect(result.file).toBe(out);
    expect(result.bytes).toBe(fs.statSync(out).size);
    expect(result.migrations).toEqual(allMigrations);
    expect(describeContents(result.contents)).toBe("0 matches, 0 verdicts");
    const copy = new Database(out, { readonly: true });
    expect(count(copy)).toBe(before);
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    // One self-contained file: rollback-journal mode, nothing beside it.
    expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
    copy.close();
    expect(fs.readdirSync(path.dirname(out))).toEqual(["copy.db"]);
  });

  it("refuses to overwrite a file, and a database that is not Crux's, leaving nothing behind", async () => {
    const existing = path.join(tmp, "existing.db");
    fs.writeFileSync(existing, "keep me");
    await expect(backupDatabase(source, existing)).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(existing, "utf8")).toBe("keep me");

    const other = path.join(tmp, "other.db");
    const db = new Database(other);
    db.exec("CREATE TABLE t (x)");
    db.close();
    const out = path.join(tmp, "out.db");
    await expect(backupDatabase(other, out)).rejects.toThrow(DatabaseFileError);
    await expect(backupDatabase(other, out)).rejects.toThrow(/not a Crux database/);
    await expect(backupDatabase(path.join(tmp, "missing.db"), out)).rejects.toThrow(/there is no database/);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith("out.db"))).toEqual([]);
  });
});

describe("describeContents", () => {
  it("lists matches by status, most first, and verdicts", () => {
    expect(describeContents({ matches: { running: 2, complete: 10 }, verdicts: 9 })).toBe(
      "12 matches (10 complete, 2 running), 9 verdicts",
    );
    expect(describeContents({ matches: { complete: 1 }, verdicts: 1 })).toBe("1 match (1 complete), 1 verdict");
  });
});
