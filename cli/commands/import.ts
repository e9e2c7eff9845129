import fs from "node:fs/promises";
import path from "node:path";
import { type Command, Option } from "commander";
import { getDb } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import {
  DEFAULT_IMPORT_LICENSE,
  type ImportResult,
  importQuestions,
  type QuestionFileFormat,
} from "../../lib/questions/import";
import { setNameSchema } from "../../lib/questions/schema";

interface ImportQuestionsOptions {
  set: string;
  format?: QuestionFileFormat;
  allowPartial?: boolean;
  license?: string;
  json?: boolean;
}

const formatsByExtension: Record<string, QuestionFileFormat> = { ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv" };

/** Format from --format, else from the file's extension. */
function resolveFormat(file: string, format: QuestionFileFormat | undefined): QuestionFileFormat {
  if (format) return format;
  const fromExtension = formatsByExtension[path.extname(file).toLowerCase()];
  if (!fromExtension) {
    throw new Error(`cannot tell the format of ${file} from its extension: add --format jsonl or --format csv`);
  }
  return fromExtension;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function summary(result: ImportResult, set: string, allowPartial: boolean): string {
  if (result.errors.length > 0 && !allowPartial) {
    return `${plural(result.errors.length, "bad row")}, ${plural(result.valid, "valid row")}: nothing imported.`;
  }
  const parts = [`Imported ${plural(result.imported, "question")} into set "${set}"`];
  if (result.passages > 0) parts.push(`with ${plural(result.passages, "new passage")}`);
  const notes: string[] = [];
  if (result.skipped > 0) notes.push(`${plural(result.skipped, "row")} already present, skipped`);
  if (result.errors.length > 0) notes.push(`${plural(result.errors.length, "bad row")} left out`);
  return `${parts.join(" ")}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}.`;
}

async function importQuestionsAction(file: string, options: ImportQuestionsOptions): Promise<void> {
  // Check everything the user typed before touching the database.
  const set = setNameSchema.safeParse(options.set);
  if (!set.success) throw new Error(`--set: ${set.error.issues.map((issue) => issue.message).join("; ")}`);
  const format = resolveFormat(file, options.format);
  let content: string;
  try {
    content = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }

  await migrateDatabase({ log: (line) => process.stderr.write(`${line}\n`) });
  const db = getDb();
  let result: ImportResult;
  try {
    result = await importQuestions(db, {
      content,
      format,
      set: set.data,
      allowPartial: options.allowPartial ?? false,
      license: options.license,
    });
  } finally {
    await db.$disconnect();
  }

  const failed = result.errors.length > 0 && !options.allowPartial;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: !failed, file, set: set.data, format, ...result }, null, 2)}\n`);
  } else {
    for (const error of result.errors) process.stderr.write(`line ${error.line}: ${error.message}\n`);
    process.stdout.write(`${summary(result, set.data, options.allowPartial ?? false)}\n`);
  }
  if (failed) {
    throw new Error(
      `${file} has ${plural(result.errors.length, "bad row")}, so nothing was imported: fix ` +
        `${result.errors.length === 1 ? "it" : "them"}, or pass --allow-partial to import the ${plural(result.valid, "valid row")}`,
    );
  }
}

/**
 * Registers `crux import questions <file> --set <name>`: validates a JSONL or CSV question file
 * (docs/import-format.md), reports each bad row as `line N: reason`, and imports it in one transaction.
 */
export function registerImportCommand(program: Command): void {
  // Other importers (e.g. transcripts) can hang off the same `import` command.
  const importCommand =
    program.commands.find((command) => command.name() === "import") ??
    program.command("import").description("Import data into Crux");

  importCommand
    .command("questions")
    .description("Import a question set from a JSONL or CSV file (see docs/import-format.md)")
    .argument("<file>", "question file (.jsonl or .csv)")
    .requiredOption("--set <name>", 'question set to import into, e.g. "my-questions" (not quality or truthfulqa)')
    .addOption(
      new Option("--format <format>", "file format (default: from the file extension)").choices(["jsonl", "csv"]),
    )
    .option("--allow-partial", "import the valid rows even if some rows are bad")
    .option("--license <text>", "licence / attribution to store with the questions", DEFAULT_IMPORT_LICENSE)
    .option("--json", "print the result as JSON")
    .action((file: string, options: ImportQuestionsOptions) => importQuestionsAction(file, options));
}
