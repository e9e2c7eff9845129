import { randomBytes } from "node:crypto";
import pg from "pg";
import { env } from "../../lib/env";
import { RUN_VARIABLE } from "./processes";

/**
 * The PostgreSQL pass of the test suite (vitest.config.ts, project "postgresql"): the data-layer, studies, results
 * and live-match tests run a second time with every temporary database (tests/support/temp-db.ts) and every test
 * server (tests/support/server.ts) on a PostgreSQL database of its own, a copy of a template migrated once per run
 * (tests/postgres-setup.ts). The server is CRUX_TEST_POSTGRES_URL (scripts/services.sh starts a throwaway one).
 */

/** Whether this test worker belongs to the PostgreSQL pass. */
export const onPostgres = process.env.CRUX_TEST_DATABASE_PROVIDER === "postgresql";

function serverUrl(): string {
  if (!env.CRUX_TEST_POSTGRES_URL) {
    throw new Error(
      "The PostgreSQL test pass needs CRUX_TEST_POSTGRES_URL: run the tests through `npm run test:unit` or " +
        "`bash scripts/services.sh run -- npx vitest run …`, which start a throwaway PostgreSQL.",
    );
  }
  return env.CRUX_TEST_POSTGRES_URL;
}

/** This run's prefix: database names carry the run id, so a teardown drops exactly its own. */
function runPrefix(): string {
  const run = process.env[RUN_VARIABLE];
  if (!run) throw new Error(`${RUN_VARIABLE} is not set: the PostgreSQL helpers run under Vitest's global setup`);
  return `crux_${run.replaceAll("-", "").slice(0, 20)}`;
}

/** The run's template database (migrated once by the global setup). */
export function templateName(): string {
  return `${runPrefix()}_template`;
}

/** The URL of database `name` on the test server. */
export function postgresUrlOf(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database name for one test file or server (created by {@link createTestDatabase}). */
export function newTestDatabaseName(label: string): string {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 12);
  return `${runPrefix()}_${safe}_${randomBytes(4).toString("hex")}`;
}

/** Creates database `name` as a copy of the run's migrated template and returns its URL. */
export async function createTestDatabase(name: string): Promise<string> {
  await onServer((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`));
  return postgresUrlOf(name);
}

/** Creates the (empty) template database; the global setup migrates it. */
export async function createTemplate(): Promise<string> {
  await onServer((client) => client.query(`CREATE DATABASE "${templateName()}"`));
  return postgresUrlOf(templateName());
}

/** Drops every database of this run, the template last, closing whatever still holds a connection. */
export async function dropRunDatabases(): Promise<void> {
  await onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname LIKE '%\\_template' ASC",
      [`${runPrefix()}\\_%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
