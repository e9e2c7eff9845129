import { migrateDatabase } from "../lib/db/migrate";
import { createTemplate, dropRunDatabases } from "./support/postgres";

/**
 * Global setup of the PostgreSQL pass (vitest.config.ts): one template database migrated once, which every test
 * database copies (CREATE DATABASE … TEMPLATE, much faster than migrating each); every database of the run is
 * dropped afterwards.
 */
export async function setup(): Promise<void> {
  await migrateDatabase({ url: await createTemplate() });
}

export async function teardown(): Promise<void> {
  await dropRunDatabases();
}
