import pg from "pg";
import { describe, expect, it } from "vitest";
import { tempDatabase } from "../../tests/support/temp-db";
import { immutableRecordViolation, isUniqueViolation } from "./errors";
import { databaseReadiness, pingDatabase } from "./health";
import { MigrationError, migrateDatabase } from "./migrate";
import { diffMigrationsToSchema } from "./schema-engine";

// PostgreSQL only (the PostgreSQL pass of vitest.config.ts): the migrator, the schema check and the error mapping
// on a real server. The SQLite side is covered by migrate.test.ts, schema-engine.test.ts and errors.test.ts.

const temp = tempDatabase("pg-db");
const serverUrl = process.env.CRUX_TEST_POSTGRES_URL ?? "";

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe("PostgreSQL", () => {
  it("finds prisma/postgresql/migrations in sync with the rendered schema", async () => {
    // On failure this prints the SQL a new migration needs: run `npm run db:diff -- <name>`.
    expect(await diffMigrationsToSchema({ postgresServerUrl: serverUrl })).toBe("");
  });

  it("records the migrations as Prisma does and applies nothing the second time", async () => {
    const rows = await sql<{
      migration_name: string;
      checksum: string;
      finished_at: Date;
      applied_steps_count: number;
    }>(temp.url, `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await migrateDatabase({ url: temp.url })).toEqual({ applied: [] });
    expect(await databaseReadiness(temp.db(), "postgresql")).toEqual({ ok: true, pending: [] });
    await pingDatabase(temp.db());
  });

  it("rolls a failed migration back, records it, and refuses until it is marked rolled back", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-pg-migrations-"));
    try {
      fs.writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
      fs.mkdirSync(path.join(dir, "20990101000000_broken"));
      fs.writeFileSync(
        path.join(dir, "20990101000000_broken", "migration.sql"),
        'CREATE TABLE "Probe" ("id" TEXT PRIMARY KEY);\nSELECT nonsense FROM nowhere;\n',
      );
      const url = temp.url.replace(/\/[^/]*$/, `/${new URL(temp.url).pathname.slice(1)}_broken`);
      await sql(serverUrl, `CREATE DATABASE "${new URL(url).pathname.slice(1)}"`);
      await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toThrow(/failed and was rolled back/);
      expect(await sql(url, `SELECT to_regclass('"Probe"') AS t`)).toEqual([{ t: null }]);
      await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toThrow(MigrationError);
      await sql(url, `UPDATE "_prisma_migrations" SET rolled_back_at = now()`);
      fs.writeFileSync(path.join(dir, "20990101000000_broken", "migration.sql"), 'CREATE TABLE "Probe" ("id" TEXT);\n');
      expect(await migrateDatabase({ url, migrationsDir: dir })).toEqual({ applied: ["20990101000000_broken"] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies each migration once when several processes start together", async () => {
    const name = `${new URL(temp.url).pathname.slice(1)}_race`;
    await sql(serverUrl, `CREATE DATABASE "${name}"`);
    const url = temp.url.replace(/\/[^/]*$/, `/${name}`);
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase({ url })));
    const applied = results.flatMap((r) => r.applied);
    expect(new Set(applied).size).toBe(applied.length);
    const rows = await sql<{ n: string }>(url, `SELECT COUNT(*) AS n FROM "_prisma_migrations"`);
    expect(Number(rows[0]?.n)).toBe(applied.length);
  });

  it("reports unique violations and the immutability triggers like SQLite", async () => {
    const db = temp.db();
    const user = await db.user.create({ data: { email: "pg@example.test" } });
    const duplicate = await db.user.create({ data: { email: "pg@example.test" } }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    await db.auditLog.create({ data: { actorId: user.id, action: "probe", target: "t" } });
    const refused = await db.auditLog.deleteMany({}).catch((e: unknown) => e);
    expect(immutableRecordViolation(refused)).toBe("AuditLog rows are immutable: the audit log is append-only");
  });
});
