import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";

/**
 * A fresh, migrated SQLite database for one test file, removed afterwards. Call at the top level of a test file;
 * the returned function gives the client once `beforeAll` has run.
 */
export function tempDatabase(prefix: string): { db: () => Db; url: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `crux-${prefix}-`));
  const url = `file:${path.join(dir, "crux.db")}`;
  let client: Db | undefined;
  beforeAll(async () => {
    await migrateDatabase({ url });
    client = createDb(url);
  });
  afterAll(async () => {
    await client?.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    url,
    db: () => {
      if (!client) throw new Error("the temporary database is not ready: use it inside tests or hooks");
      return client;
    },
  };
}
