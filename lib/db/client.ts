import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env, isPostgresUrl, sqlitePath } from "../env";
import { PrismaClient } from "./generated/client";
import { PrismaClient as PostgresPrismaClient } from "./generated-pg/client";

/**
 * The database client the rest of the code uses, whichever provider is behind it. Prisma generates one client per
 * provider (lib/db/generated for SQLite, lib/db/generated-pg for PostgreSQL, both from prisma/schema.prisma, see
 * ./providers.ts), with the same models. `Db` is the SQLite client's type on purpose: it is the narrower API
 * (PostgreSQL's adds `mode: "insensitive"` filters, `skipDuplicates`, more isolation levels), so code typed against
 * it only uses what both providers accept, and the PostgreSQL client, which accepts every such call and returns
 * the same model types, stands in for it. The PostgreSQL test pass (tests/support/postgres.ts) runs the data layer
 * on it to keep that true.
 */
export type Db = PrismaClient;

/** Options of {@link createDb}. */
export interface CreateDbOptions {
  /** SQLite: how long a statement waits for another process's lock (default CRUX_SQLITE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** PostgreSQL: connections in this client's pool (default CRUX_DATABASE_POOL_SIZE). */
  poolSize?: number;
}

/**
 * Creates a Prisma client on the database named by `url` (default: DATABASE_URL): a SQLite `file:` URL through
 * better-sqlite3, a `postgres(ql)://` URL through node-postgres. On SQLite a statement that meets another process's
 * lock waits at most `busyTimeoutMs`, then fails as transient.
 */
export function createDb(url: string = env.DATABASE_URL, options: CreateDbOptions = {}): Db {
  return isPostgresUrl(url) ? createPostgresDb(url, options) : createSqliteDb(url, options);
}

function createPostgresDb(url: string, options: CreateDbOptions): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? env.CRUX_DATABASE_POOL_SIZE });
  // The two generated types are not assignable to each other (PostgreSQL's inputs are wider); see `Db`.
  return new PostgresPrismaClient({ adapter }) as unknown as Db;
}

function createSqliteDb(url: string, options: CreateDbOptions): Db {
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

/**
 * The SQLite file a client from {@link createDb} opened, for a read-only connection off the main thread; undefined
 * for a PostgreSQL client (and for clients made elsewhere).
 */
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
