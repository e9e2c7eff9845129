import { env } from "../env";
import type { Db } from "./client";
import { MigrationError, migrationHistoryOf } from "./migrate";
import { type DbProvider, providerOf } from "./providers";

/** What a readiness check (`/readyz`) needs to know about the database. */
export interface DatabaseReadiness {
  ok: boolean;
  /** Migrations of the folder not applied yet (the server applies them at start; non-empty means not ready). */
  pending: string[];
  /** Why it is not ready: unreachable, a failed or edited migration, pending migrations. */
  error?: string;
}

/** One round trip to the database; throws when it cannot be reached. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

/**
 * Whether the database answers and has every migration of its provider's folder applied (and none failed or
 * edited), for `/readyz`. Never throws. `provider` defaults to DATABASE_URL's.
 */
export async function databaseReadiness(
  db: Db,
  provider: DbProvider = providerOf(env.DATABASE_URL),
): Promise<DatabaseReadiness> {
  try {
    await pingDatabase(db);
  } catch (error) {
    return { ok: false, pending: [], error: `database unreachable: ${errorText(error)}` };
  }
  try {
    const { pending } = await migrationHistoryOf(db, provider);
    return pending.length === 0
      ? { ok: true, pending }
      : { ok: false, pending, error: `${pending.length} migration(s) not applied` };
  } catch (error) {
    const message = error instanceof MigrationError ? error.message : `cannot read migrations: ${errorText(error)}`;
    return { ok: false, pending: [], error: message };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}
