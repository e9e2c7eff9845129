import { env, isPostgresUrl, sqlitePath } from "../lib/env";

/** Where the operations guide explains backups, for messages that point there. */
export const BACKUP_DOCS = "docs/operations.md#postgresql";

const postgresAdvice = {
  backup:
    "DATABASE_URL names a PostgreSQL database, and `crux backup` copies SQLite databases only. Back it up with " +
    `PostgreSQL's own tool:\n  pg_dump --format=custom --file crux.dump "$DATABASE_URL"\nSee ${BACKUP_DOCS}.`,
  restore:
    "DATABASE_URL names a PostgreSQL database, and `crux restore` handles SQLite databases only. Restore a pg_dump " +
    `archive with PostgreSQL's own tool (with the server stopped):\n` +
    `  pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" crux.dump\nSee ${BACKUP_DOCS}.`,
} as const;

/**
 * The SQLite file named by DATABASE_URL, for the commands that handle the file itself (`crux backup`,
 * `crux restore`); for a PostgreSQL URL, an error that says which PostgreSQL tool to use instead.
 */
export function sqliteDatabaseFile(command: keyof typeof postgresAdvice): string {
  if (isPostgresUrl(env.DATABASE_URL)) throw new Error(postgresAdvice[command]);
  return sqlitePath(env.DATABASE_URL);
}
