import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from "@prisma/driver-adapter-utils";
import type { DiffTarget, MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { PROVIDER_FILES } from "./providers";

// Dev-time only: drives Prisma's official WebAssembly schema engine to compute migration SQL, because the native
// engine (needed by `prisma migrate`) is downloaded from Prisma's servers and is unavailable offline. The server
// never loads this file; it applies migrations with lib/db/migrate.ts.

type BgModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

export const schemaPath = PROVIDER_FILES.sqlite.schemaPath;
export const migrationsDir = PROVIDER_FILES.sqlite.migrationsDir;

/**
 * Tables the migrations create by hand that the engine must neither diff nor drop: the FTS5 full-text indexes of
 * transcripts (migration …_transcript_search) and the shadow tables FTS5 makes for each.
 */
const FTS_TABLES = ["TurnSearch", "JudgeStepSearch", "VerdictSearch"];
const EXTERNAL_TABLES = FTS_TABLES.flatMap((t) => [t, ...["config", "data", "docsize", "idx"].map((s) => `${t}_${s}`)]);

let enginePromise: Promise<typeof SchemaEngine> | undefined;

/**
 * Loads the wasm engine's `SchemaEngine` class. The package's entry point does `import * as wasm from "….wasm"`,
 * which only bundlers understand, so we instantiate the .wasm ourselves with the JS glue module as its import
 * object (the wasm's only import module is "./schema_engine_bg.js"), exactly as the entry point would.
 */
function loadSchemaEngine(): Promise<typeof SchemaEngine> {
  enginePromise ??= (async () => {
    const bg: BgModule = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(import.meta.url);
    // package.json is not in the package's "exports"; the glue module is, and the .wasm sits beside it.
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmFile = path.join(path.dirname(glue), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg.SchemaEngine;
  })();
  return enginePromise;
}

/**
 * The engine applies a whole migration.sql (many statements) through one `executeRaw`, which better-sqlite3's
 * `prepare` rejects ("contains more than one statement"). Send argument-less multi-statement SQL to
 * `executeScript` (better-sqlite3's `exec`) instead; everything else goes through unchanged.
 */
function scriptAware(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = async (query: SqlQuery): Promise<number> => {
    try {
      return await adapter.executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && error instanceof RangeError && /more than one statement/.test(error.message)) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw,
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
  };
}

/** An in-memory SQLite adapter factory whose main and shadow connections both accept migration scripts. */
function memoryAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSqlite3({ url: ":memory:" });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => scriptAware(await factory.connect()),
    connectToShadowDb: async () => scriptAware(await factory.connectToShadowDb()),
  };
}

/**
 * A PostgreSQL adapter factory for the engine. The engine needs a live server even to render SQL, and replays a
 * migrations folder in a shadow database that the adapter creates (and drops) on that server. The URL is parsed
 * into separate fields because node-postgres lets a `connectionString` override the shadow pool's `database`,
 * which would replay the migrations into the named database itself.
 */
function postgresAdapterFactory(serverUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const url = new URL(serverUrl);
  const config = {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
  };
  const factory = new PrismaPg(config);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wholeScripts(await factory.connect()),
    // adapter-pg's own shadow database is dropped while its pool still holds a connection, which fails; make it
    // here and drop it after the pool has closed.
    connectToShadowDb: async () => {
      const name = `crux_shadow_${randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client(config);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const adapter = await new PrismaPg({ ...config, database: name }).connect();
      return {
        ...wholeScripts(adapter),
        dispose: async () => {
          await adapter.dispose();
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  };
}

/**
 * adapter-pg's `executeScript` splits a script at every `;`, which breaks PL/pgSQL function bodies (the triggers of
 * prisma/postgresql/migrations). Send the script whole instead: without parameters node-postgres uses the simple
 * query protocol, which runs several statements.
 */
function wholeScripts(adapter: Awaited<ReturnType<PrismaPg["connect"]>>): SqlDriverAdapter {
  readCharAsText(adapter.underlyingDriver());
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: async (script) => {
      await adapter.underlyingDriver().query(script);
    },
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: adapter.getConnectionInfo.bind(adapter),
    dispose: () => adapter.dispose(),
  };
}

/**
 * The engine's catalog queries return PostgreSQL's one-byte `"char"` columns (oid 18: relkind, contype, …), which
 * adapter-pg refuses as an unsupported type. Report them as text, which is what they hold.
 */
function readCharAsText(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  Object.assign(pool, {
    query: async (...args: unknown[]) => {
      const result = await query(...args);
      for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return result;
    },
  });
}

/** Options shared by the diff functions; the defaults are this project's SQLite schema and migrations folder. */
export interface DiffOptions {
  schemaPath?: string;
  migrationsDir?: string;
  /**
   * Diff for PostgreSQL, on this server (any database the user may connect to and create databases from; nothing
   * is written to it). The defaults become prisma/postgresql/schema.prisma and prisma/postgresql/migrations.
   */
  postgresServerUrl?: string;
  /** Receives the engine's own log lines (JSON), for debugging. */
  log?: (line: string) => void;
}

/**
 * Runs one engine `diff` and returns the SQL script ("" when there is nothing to do). For SQLite the engine is
 * created on a fresh in-memory database; diffs from a migrations folder replay it on the adapter's shadow database,
 * which for better-sqlite3 is also `:memory:`, so nothing touches disk. For PostgreSQL see `postgresAdapterFactory`.
 */
async function diff(from: DiffTarget, to: DiffTarget, options: DiffOptions): Promise<string> {
  const Engine = await loadSchemaEngine();
  const adapter = bindMigrationAwareSqlAdapterFactory(
    options.postgresServerUrl ? postgresAdapterFactory(options.postgresServerUrl) : memoryAdapterFactory(),
  );
  const log = options.log;
  const engine = await Engine.new({ datamodels: undefined }, (line: string) => log?.(line), adapter);
  try {
    const result = await engine.diff({
      from,
      to,
      script: true,
      exitCode: null,
      // The FTS5 tables exist on SQLite only (PostgreSQL searches through expression indexes, which the engine
      // does not diff either; and it wants schema-qualified names there).
      filters: { externalTables: options.postgresServerUrl ? [] : [...EXTERNAL_TABLES], externalEnums: [] },
    });
    return quoteJsonDefaults(normalizeScript(result.stdout ?? ""));
  } finally {
    engine.free();
  }
}

/** The engine prints "-- This is an empty migration." for no-op diffs; treat that (and whitespace) as empty. */
function normalizeScript(sql: string): string {
  const meaningful = sql
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("--"))
    .join("\n");
  return meaningful.trim() === "" ? "" : sql;
}

/**
 * Works around prisma/orm#26571 (open; the native engine has it too): for SQLite the engine renders a `Json`
 * field's `@default("{}")` unquoted, as `DEFAULT {}`, which SQLite rejects, and `DEFAULT []`, which SQLite
 * silently reads as an empty identifier, i.e. the text '' (not valid JSON). Quote such defaults as SQL string
 * literals. The engine itself treats `DEFAULT '{}'` as matching `@default("{}")`, so diffs stay empty afterwards.
 * Applies to column definitions in CREATE TABLE and ALTER TABLE … ADD COLUMN; JSON text never ends in `,`/`;`.
 */
export function quoteJsonDefaults(sql: string): string {
  return sql.replace(
    /^(.*"[^"]+" JSONB(?: NOT NULL)? DEFAULT )(?!')(.+?)([,;]?)$/gm,
    (_match, head: string, value: string, tail: string) => `${head}'${value.replaceAll("'", "''")}'${tail}`,
  );
}

function schemaTarget(file: string): DiffTarget {
  return { tag: "schemaDatamodel", files: [{ path: file, content: fs.readFileSync(file, "utf8") }] };
}

/** Reads a migrations folder into the engine's `MigrationList` shape (subfolders in name order, as Prisma does). */
export function readMigrationList(dir: string = migrationsDir): MigrationList {
  const lockPath = path.join(dir, "migration_lock.toml");
  const directories = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(dir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file)
            ? { tag: "ok", value: fs.readFileSync(file, "utf8") }
            : { tag: "error", value: `${file} does not exist` },
        },
      };
    }),
  };
}

/**
 * SQL that brings a database built from the migrations folder up to schema.prisma; "" when they are in sync.
 * This is what `prisma migrate diff --from-migrations … --to-schema … --script` prints.
 */
export async function diffMigrationsToSchema(options: DiffOptions = {}): Promise<string> {
  const files = PROVIDER_FILES[options.postgresServerUrl ? "postgresql" : "sqlite"];
  const migrations = readMigrationList(options.migrationsDir ?? files.migrationsDir);
  return diff({ tag: "migrations", ...migrations }, schemaTarget(options.schemaPath ?? files.schemaPath), options);
}

/** SQL that creates schema.prisma's tables from nothing (the initial migration). */
export async function diffEmptyToSchema(options: DiffOptions = {}): Promise<string> {
  const files = PROVIDER_FILES[options.postgresServerUrl ? "postgresql" : "sqlite"];
  return diff({ tag: "empty" }, schemaTarget(options.schemaPath ?? files.schemaPath), options);
}
