import { getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { seedQuestionBank } from "../lib/questions/seed";

/** Brings the database up to date (migrations, then the shipped question bank) before a command uses it. */
export async function prepareDatabase(): Promise<void> {
  await migrateDatabase({});
  await seedQuestionBank(getDb());
}
