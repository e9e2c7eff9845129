import { type Db, getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { seedQuestionBank } from "../lib/questions/seed";

export interface WithDbOptions {
  /** Seed the shipped question bank when its rows are missing (commands that pick questions). */
  questionBank?: boolean;
  /** Report each migration applied on stderr. */
  logMigrations?: boolean;
}

/**
 * The one way a command uses the database: brings it up to date (migrations, and the question bank when asked),
 * runs `fn` with the client, and always disconnects — on error too, so a failed command does not hang on an open
 * connection. Whatever `fn` returns or throws is passed on (cli/index.ts turns errors into `crux: …`, exit 1).
 */
export async function withDb<T>(fn: (db: Db) => Promise<T>, options: WithDbOptions = {}): Promise<T> {
  await migrateDatabase(options.logMigrations ? { log: (line) => process.stderr.write(`${line}\n`) } : {});
  const db = getDb();
  try {
    if (options.questionBank) await seedQuestionBank(db);
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}
