import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { backupDatabase } from "../../lib/db/backup";
import { defaultBackupPath, formatBytes } from "../../lib/db/backup-files";
import { describeContents } from "../../lib/db/database-file";
import { zodErrorMessage } from "../../lib/errors";
import { optionName } from "../options";
import { sqliteDatabaseFile } from "../sqlite-file";

/**
 * `crux backup [--out <file>]`: an online, consistent, verified copy of the SQLite database, taken while the server
 * serves and writes (lib/db/backup.ts explains how). It never migrates or otherwise changes the database.
 */

const optionsSchema = z.object({
  out: z.string().trim().min(1, "give a file name").optional(),
});

export function registerBackupCommand(program: Command): void {
  program
    .command("backup")
    .description("Back up the SQLite database, also while the server runs (a consistent, verified copy)")
    .option(
      "--out <file>",
      "backup file, or a folder to put it in (default: backups/<name>-<UTC time>.db in the database's folder)",
    )
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(zodErrorMessage(parsed.error, { path: optionName }));
      const source = sqliteDatabaseFile("backup");
      const named = defaultBackupPath(source, new Date());
      const out = parsed.data.out ? path.resolve(parsed.data.out) : named;
      // `--out some/folder/` means "in that folder, under the usual name".
      const file = isDirectory(out) ? path.join(out, path.basename(named)) : out;
      const progress = progressLine();
      const result = await backupDatabase(source, file, { onProgress: progress.update }).finally(progress.end);
      const last = result.migrations.at(-1) ?? "none";
      process.stdout.write(
        `Backed up ${source}\n` +
          `       to ${result.file} (${formatBytes(result.bytes)})\n` +
          `  holds ${describeContents(result.contents)}; schema at ${last} (${result.migrations.length} migrations)\n` +
          "  verified: integrity_check ok, migration history identical to the database's\n",
      );
    });
}

/** A percentage on one terminal line (stderr, so stdout stays the report); silent when stderr is not a terminal. */
function progressLine(): { update: (p: { totalPages: number; remainingPages: number }) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let shown = -1;
  return {
    update: ({ totalPages, remainingPages }) => {
      const percent = totalPages ? Math.floor(((totalPages - remainingPages) / totalPages) * 100) : 100;
      if (!tty || percent === shown) return;
      shown = percent;
      process.stderr.write(`\rbacking up: ${percent}% of ${totalPages.toLocaleString("en-US")} pages`);
    },
    end: () => {
      if (tty && shown >= 0) process.stderr.write("\r\u001b[K");
    },
  };
}

function isDirectory(target: string): boolean {
  return fs.existsSync(target) && fs.statSync(target).isDirectory();
}
