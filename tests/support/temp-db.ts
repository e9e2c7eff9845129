import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { createTestDatabase, newTestDatabaseName, onPostgres, postgresUrlOf } from "./postgres";

/**
 * A fresh, migrated database for one test file, removed afterwards: a SQLite file, or in the PostgreSQL pass a
 * copy of the run's migrated template (tests/support/postgres.ts). Call at the top level of a test file; the
 * returned function gives the client once `beforeAll` has run.
 */
export function tempDatabase(prefix: string): { db: () => Db; url: string } {
  const postgresName = onPostgres ? newTestDatabaseName(prefix) : undefined;
  const dir = postgresName ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), `crux-${prefix}-`));
  const url = postgresName ? postgresUrlOf(postgresName) : `file:${path.join(dir ?? "", "crux.db")}`;
  let client: Db | undefined;
  beforeAll(async () => {
    if (postgresName) await createTestDatabase(postgresName);
    else await migrateDatabase({ url });
    client = createDb(url);
  });
  afterAll(async () => {
    await client?.$disconnect();
    // PostgreSQL databases are dropped with the run's (tests/postgres-setup.ts).
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    url,
    db: () => {
      if (!client) throw new Error("the temporary database is not ready: use it inside tests or hooks");
      return client;
    },
  };
}
