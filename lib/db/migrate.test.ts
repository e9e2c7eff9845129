import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { defaultMigrationsDir, MigrationError, migrateDatabase } from "./migrate";

const realMigrations = fs
  .readdirSync(defaultMigrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let tmp: string;
let dbFile: string;
let url: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crux-migrate-"));
  dbFile = path.join(tmp, "test.db");
  url = `file:${dbFile}`;
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A private copy of prisma/migrations that a test may edit, plus optional extra migrations. */
function copyMigrations(extra: Record<string, string> = {}): string {
  const dir = path.join(tmp, "migrations");
  fs.cpSync(defaultMigrationsDir, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

function historyRows(): { migration_name: string; finished_at: number | null; rolled_back_at: number | null }[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db
      .prepare<[], { migration_name: string; finished_at: number | null; rolled_back_at: number | null }>(
        `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at`,
      )
      .all();
  } finally {
    db.close();
  }
}

describe("migrateDatabase", () => {
  it("applies every migration to a fresh database, then nothing", async () => {
    const first = await migrateDatabase({ url });
    expect(first.applied).toEqual(realMigrations);
    const second = await migrateDatabase({ url });
    expect(second.applied).toEqual([]);

    const rows = historyRows();
    expect(rows.map((r) => r.migration_name)).toEqual(realMigrations);
    expect(rows.every((r) => typeof r.finished_at === "number" && r.rolled_back_at === null)).toBe(true);
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("leaves a schema the Prisma client can use (including Json defaults)", async () => {
    await migrateDatabase({ url });
    const db = createDb(url);
    try {
      const created = await db.question.create({
        data: {
          source: "test",
          externalId: "q1",
          text: "Is the sky blue?",
          options: ["yes", "no"],
          gold: 0,
          license: "CC0",
        },
      });
      const read = await db.question.findUniqueOrThrow({ where: { id: created.id } });
      expect(read.text).toBe("Is the sky blue?");
      expect(read.options).toEqual(["yes", "no"]);
      // The column default must be the JSON text '[]' (prisma/orm#26571 would have made it '').
      expect(read.tags).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses when an applied migration's file has changed, but tolerates line-ending changes", async () => {
    const dir = copyMigrations();
    await migrateDatabase({ url, migrationsDir: dir });
    const first = realMigrations[0];
    if (first === undefined) throw new Error("no migrations in prisma/migrations");
    const file = path.join(dir, first, "migration.sql");
    const original = fs.readFileSync(file, "utf8");

    fs.writeFileSync(file, original.replaceAll("\n", "\r\n"));
    await expect(migrateDatabase({ url, migrationsDir: dir })).resolves.toEqual({ applied: [] });

    fs.writeFileSync(file, `${original}\n-- edited\n`);
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toThrow(/has changed/);
  });

  it("rolls back and records a failed migration, then refuses until it is marked rolled back", async () => {
    const dir = copyMigrations({
      "20990101000000_broken": 'CREATE TABLE "Half" ("id" TEXT);\nTHIS IS NOT SQL;',
    });
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toThrow(/20990101000000_broken failed/);
    expect(historyRows().at(-1)).toMatchObject({ migration_name: "20990101000000_broken", finished_at: null });
    const db = new Database(dbFile);
    // Rolled back: the first statement of the broken migration left nothing behind.
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Half'`).get()).toBeUndefined();
    db.close();

    fs.writeFileSync(path.join(dir, "20990101000000_broken", "migration.sql"), 'CREATE TABLE "Half" ("id" TEXT);');
    const refused = migrateDatabase({ url, migrationsDir: dir });
    await expect(refused).rejects.toBeInstanceOf(MigrationError);
    await expect(refused).rejects.toThrow(/failed earlier/);

    const fix = new Database(dbFile);
    fix.prepare(`UPDATE _prisma_migrations SET rolled_back_at = ? WHERE finished_at IS NULL`).run(Date.now());
    fix.close();
    await expect(migrateDatabase({ url, migrationsDir: dir })).resolves.toEqual({ applied: ["20990101000000_broken"] });
  });

  it("applies each migration once when several processes start together", async () => {
    // A migration slow enough (~100 ms) that the processes really overlap on the write lock.
    const dir = copyMigrations({
      "20990101000000_slow":
        'CREATE TABLE "Numbers" ("n" INTEGER NOT NULL);\n' +
        'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 200000) INSERT INTO "Numbers" SELECT n FROM c;\n',
    });
    const expected = [...realMigrations, "20990101000000_slow"];
    const migrateModule = path.join(import.meta.dirname, "migrate.ts");
    // Each process loads the module first, then waits for a shared start time, so that the migrations (not the
    // process start-up, whose time varies by hundreds of ms) race.
    const startAt = Date.now() + 1500;
    const script = `const { migrateDatabase } = await import(${JSON.stringify(migrateModule)});
      await new Promise((r) => setTimeout(r, Math.max(0, ${startAt} - Date.now())));
      const result = await migrateDatabase({ url: ${JSON.stringify(url)}, migrationsDir: ${JSON.stringify(dir)} });
      process.stdout.write(JSON.stringify(result.applied));`;
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          cwd: path.resolve(import.meta.dirname, "..", ".."),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          err += chunk.toString();
        });
        child.on("close", (code) => {
          if (code === 0) resolve(JSON.parse(out) as string[]);
          else reject(new Error(`migrator process exited ${code}: ${err}`));
        });
      });

    const results = await Promise.all([run(), run(), run()]);
    expect(results.flat().sort()).toEqual(expected);
    expect(historyRows().map((r) => r.migration_name)).toEqual(expected);
    const db = new Database(dbFile, { readonly: true });
    expect(db.prepare(`SELECT count(*) AS n FROM "Numbers"`).get()).toEqual({ n: 200000 });
    db.close();

    // In one process the calls are serialized too (better-sqlite3 is synchronous), and still apply once.
    const again = await Promise.all([
      migrateDatabase({ url, migrationsDir: dir }),
      migrateDatabase({ url, migrationsDir: dir }),
    ]);
    expect(again).toEqual([{ applied: [] }, { applied: [] }]);
  });
});
