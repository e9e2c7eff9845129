import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Command, Option } from "commander";
import { EXPORT_TABLES } from "../../lib/export/columns";
import {
  EXPORT_CHOICES,
  EXPORT_FORMATS,
  type ExportChoice,
  type ExportFormat,
  exportStudy,
  exportStudyZip,
} from "../../lib/export/export-study";
import { studyExists } from "../../lib/studies/repository";
import { withDb } from "../with-db";

interface ExportCommandOptions {
  study: string;
  format: ExportFormat;
  table: ExportChoice;
  out?: string;
  raw?: boolean;
  tag?: string[];
  /** `--no-pseudonymise`, the older name of `--raw`. */
  pseudonymise: boolean;
}

/**
 * `crux export --study <id> [--format csv|jsonl] [--table <name>|all] [--out <dir-or-file>] [--raw]`: a study's
 * tidy tables and their codebook, streamed from the database to stdout, files, or one zip (`--table all --out
 * x.zip`) (docs/cli.md).
 */
export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description("Export a study's tables (matches, verdicts, participants, survey answers, …) as CSV or JSONL")
    .requiredOption("--study <id>", "study id (see `crux study list`)")
    .addOption(new Option("--format <format>", "file format").choices([...EXPORT_FORMATS]).default("csv"))
    .addOption(
      new Option("--table <table>", "table to export, or all (one file per table, or one zip with --out x.zip)")
        .choices([...EXPORT_CHOICES])
        .default("verdicts"),
    )
    .option(
      "--out <path>",
      "file to write, a directory, or a .zip with --table all (default: stdout; for --table all: ./<study id>-export)",
    )
    .option(
      "--tag <tag>",
      "only matches carrying this tag (imported debates; repeat: all must match)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--raw", "export user ids and Prolific ids as they are instead of per-study pseudonyms")
    .addOption(new Option("--no-pseudonymise", "the older name of --raw").hideHelp())
    .action((options: ExportCommandOptions) => exportAction(options));
}

async function exportAction(options: ExportCommandOptions): Promise<void> {
  await withDb(
    async (db) => {
      if (!(await studyExists(db, options.study)))
        throw new Error(`no study with the id ${options.study} (see \`crux study list\`)`);
      const raw = options.raw === true || !options.pseudonymise;
      if (options.table === "all" && options.out?.toLowerCase().endsWith(".zip")) {
        let rows = 0;
        const chunks = exportStudyZip(db, options.study, {
          format: options.format,
          raw,
          tags: options.tag ?? [],
          onRows: (_, n) => {
            rows += n;
          },
        });
        await pipeline(Readable.from(chunks), fs.createWriteStream(options.out));
        process.stderr.write(`${EXPORT_TABLES.length} tables, ${rows.toLocaleString("en-US")} rows → ${options.out}\n`);
        return;
      }
      const tables = options.table === "all" ? [...EXPORT_TABLES] : [options.table];
      const toDirectory = options.table === "all" || (options.out !== undefined && isDirectory(options.out));
      const dir = toDirectory ? (options.out ?? `${options.study}-export`) : null;
      if (dir) fs.mkdirSync(dir, { recursive: true });
      for (const table of tables) {
        let rows = 0;
        const chunks = exportStudy(db, options.study, {
          table,
          format: options.format,
          raw,
          tags: options.tag ?? [],
          onRows: (n) => {
            rows += n;
          },
        });
        const file = dir ? path.join(dir, `${table}.${options.format}`) : (options.out ?? null);
        if (file) await pipeline(Readable.from(chunks), fs.createWriteStream(file));
        else await writeToStdout(chunks);
        process.stderr.write(`${table}: ${rows.toLocaleString("en-US")} rows${file ? ` → ${file}` : ""}\n`);
      }
    },
    { logMigrations: true },
  );
}

function isDirectory(target: string): boolean {
  return (
    target.endsWith("/") || target.endsWith(path.sep) || (fs.existsSync(target) && fs.statSync(target).isDirectory())
  );
}

/** Writes chunk by chunk, waiting when stdout's buffer is full (a slow pipe must not fill memory). */
async function writeToStdout(chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
  }
}
