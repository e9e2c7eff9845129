import fs from "node:fs";
import type { Db } from "../db/client";
import { defaultMigrationsDir } from "../db/migrate";

/**
 * What `/readyz` checks (server.ts): the database answers, every migration of this version is applied, and any
 * extra dependency the process was configured with (Redis, when REDIS_URL is set) answers. `/healthz` checks
 * nothing: the process is alive if it answers at all.
 */

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  /** Why not, in a few words (never a secret: connection strings are not quoted). */
  detail?: string;
}

/** A further dependency to check, e.g. `{ name: "redis", check: () => redis.ping() }`. */
export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
}

/** Runs `check`, failing it after `timeoutMs` (a dependency that hangs must not hang the probe). */
async function probe(
  name: string,
  check: () => Promise<string | undefined>,
  timeoutMs: number,
): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const problem = await Promise.race([check(), timeout]);
    return problem ? { name, ok: false, detail: problem } : { name, ok: true };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Migrations of the folder that the database has not applied (a name list; SQL that SQLite and PostgreSQL share). */
async function pendingMigrations(db: Db, migrationsDir: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
    `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return fs
    .readdirSync(migrationsDir)
    .filter((name) => /^\d+_/.test(name) && !applied.has(name))
    .sort();
}

/** Checks the database, its migrations and `dependencies`; ready when every check passes. */
export async function checkReadiness(
  db: Db,
  options: { dependencies?: readonly DependencyCheck[]; migrationsDir?: string; timeoutMs?: number } = {},
): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const checks = await Promise.all([
    probe(
      "database",
      async () => {
        await db.$queryRawUnsafe("SELECT 1");
        return undefined;
      },
      timeoutMs,
    ),
    probe(
      "migrations",
      async () => {
        const pending = await pendingMigrations(db, options.migrationsDir ?? defaultMigrationsDir);
        return pending.length ? `not applied: ${pending.join(", ")}` : undefined;
      },
      timeoutMs,
    ),
    ...(options.dependencies ?? []).map((dependency) =>
      probe(
        dependency.name,
        async () => {
          await dependency.check();
          return undefined;
        },
        timeoutMs,
      ),
    ),
  ]);
  return { ready: checks.every((check) => check.ok), checks };
}
