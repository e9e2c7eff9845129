import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { env, sqlitePath } from "../env";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/**
 * Creates a Prisma client on the SQLite file named by `url` (default: DATABASE_URL). A statement that meets another
 * process's lock waits at most `busyTimeoutMs` (default CRUX_SQLITE_BUSY_TIMEOUT_MS), then fails as transient.
 */
export function createDb(url: string = env.DATABASE_URL, options: { busyTimeoutMs?: number } = {}): Db {
  const file = sqlitePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const factory = new PrismaBetterSqlite3({
    url: `file:${file}`,
    timeout: options.busyTimeoutMs ?? env.CRUX_SQLITE_BUSY_TIMEOUT_MS,
  });
  // WAL (set by the migrator) with synchronous=NORMAL: commits no longer wait for an fsync each, only checkpoints
  // do. SQLite's documented setting for WAL: a power cut can lose the last commits, never corrupt the database.
  const adapter: typeof factory = Object.assign(Object.create(factory) as typeof factory, {
    connect: async () => {
      const connection = await factory.connect();
      await connection.executeScript("PRAGMA synchronous = NORMAL;");
      return connection;
    },
  });
  const db = new PrismaClient({ adapter });
  files.set(db, file);
  return db;
}

// Kept on globalThis like the client itself: the custom server makes the shared client in its module graph and
// Next's bundled route handlers, which ask for its file, load this module in theirs (a module-level map there would
// be empty, and the results' reads would fall back to the event loop).
const globalForFiles = globalThis as unknown as { cruxDbFiles?: WeakMap<Db, string> };
globalForFiles.cruxDbFiles ??= new WeakMap<Db, string>();
const files = globalForFiles.cruxDbFiles;

/** The SQLite file a client from {@link createDb} opened, for a read-only connection off the main thread. */
export function sqliteFileOf(db: Db): string | undefined {
  return files.get(db);
}

// One client per process, shared by Next's code and the socket server. Cached on globalThis so that Next's dev
// reloads and the custom server (which load this module through different module graphs) reuse it.
const globalForDb = globalThis as unknown as { cruxDb?: Db };

export function getDb(): Db {
  globalForDb.cruxDb ??= createDb();
  return globalForDb.cruxDb;
}
