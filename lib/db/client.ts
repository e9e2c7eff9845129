import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { env, sqlitePath } from "../env";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/** Creates a Prisma client on the SQLite file named by `url` (default: DATABASE_URL). */
export function createDb(url: string = env.DATABASE_URL): Db {
  const file = sqlitePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}` });
  return new PrismaClient({ adapter });
}

// One client per process, shared by Next's code and the socket server. Cached on globalThis so that Next's dev
// reloads and the custom server (which load this module through different module graphs) reuse it.
const globalForDb = globalThis as unknown as { cruxDb?: Db };

export function getDb(): Db {
  globalForDb.cruxDb ??= createDb();
  return globalForDb.cruxDb;
}
