import path from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { z } from "zod";
import { describeContents } from "../../lib/db/database-file";
import { commitRestore, databaseInUse, discardRestore, inUse, stageRestore } from "../../lib/db/restore";
import { zodErrorMessage } from "../../lib/errors";
import { optionName } from "../options";
import { sqliteDatabaseFile } from "../sqlite-file";

/**
 * `crux restore <file> [--yes]`: puts a backup in place of the SQLite database, with the server stopped. The file
 * is checked first (a sound Crux database, not from a newer version); an older one is migrated. The database it
 * replaces is kept as `<db>.before-restore-<UTC time>`. Asks before replacing unless --yes.
 */

const inputSchema = z.object({
  file: z.string().trim().min(1, "give the backup file to restore"),
  yes: z.boolean().default(false),
});

export function registerRestoreCommand(program: Command): void {
  program
    .command("restore")
    .description("Replace the SQLite database with a backup (server stopped; the current one is kept aside)")
    .argument("<file>", "backup file (from `crux backup`)")
    .option("--yes", "do not ask for confirmation (needed when there is no terminal)")
    .action(async (file: unknown, raw: Record<string, unknown>) => {
      const parsed = inputSchema.safeParse({ ...raw, file });
      if (!parsed.success)
        throw new Error(zodErrorMessage(parsed.error, { path: (p) => (p[0] === "file" ? "<file>" : optionName(p)) }));
      const target = sqliteDatabaseFile("restore");
      const { yes } = parsed.data;
      // Refused before any work: without a terminal there is nobody to ask.
      if (!yes && !process.stdin.isTTY) {
        throw new Error(
          "restore replaces the database and there is no terminal to confirm on: run it again with --yes",
        );
      }
      // Checked first (before copying a large backup), so nobody confirms a restore that cannot happen; checked
      // again, under the lock, when committing.
      if (databaseInUse(target)) throw inUse(target);
      const backup = path.resolve(parsed.data.file);
      const staged = stageRestore(backup, target, new Date());
      try {
        const pending = staged.history.pending.length;
        const older = pending
          ? `\n  It is from an older version of Crux: ${pending} migration(s) will be applied to it first.`
          : "";
        process.stderr.write(`Backup ${backup}\n  holds ${describeContents(staged.contents)}.${older}\n`);
        if (!yes && !(await confirm(`Replace ${target} with it (the current database is kept aside)? [y/N] `))) {
          throw new Error("cancelled: nothing was changed");
        }
        const result = await commitRestore(staged, { log: (line) => process.stderr.write(`${line}\n`) });
        process.stdout.write(
          `Restored ${target}\n` +
            `  from ${backup}: ${describeContents(staged.contents)}\n` +
            (result.applied.length ? `  migrated: ${result.applied.join(", ")}\n` : "") +
            (result.previous
              ? `  the previous database is kept as ${result.previous} (delete it once you no longer need it)\n`
              : "  there was no database before\n"),
        );
      } catch (error) {
        discardRestore(staged);
        throw error;
      }
    });
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
