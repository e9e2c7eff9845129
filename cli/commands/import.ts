import fs from "node:fs/promises";
import path from "node:path";
import { type Command, Option } from "commander";
import { zodErrorMessage } from "../../lib/errors";
import { DEFAULT_DEBATE_LICENSE, type ImportDebatesResult, importDebates } from "../../lib/import/debates";
import { convertNyuRelease, NYU_2023_LICENSE } from "../../lib/import/nyu-2023";
import { parseDebateFile } from "../../lib/import/parse-debates";
import {
  DEFAULT_IMPORT_LICENSE,
  type ImportResult,
  importQuestions,
  type QuestionFileFormat,
} from "../../lib/questions/import";
import { setNameSchema } from "../../lib/questions/schema";
import { withDb } from "../with-db";

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
  if (!set.success) throw new Error(`--set: ${zodErrorMessage(set.error, { path: false })}`);
  const format = resolveFormat(file, options.format);
  let content: string;
  try {
    content = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const result: ImportResult = await withDb(
    (db) =>
      importQuestions(db, {
        content,
        format,
        set: set.data,
        allowPartial: options.allowPartial ?? false,
        license: options.license,
      }),
    { logMigrations: true },
  );

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
 * (docs/import-format.md), reports each bad row as `line N: reason`, and imports it in one transaction; and
 * `crux import debates <file> --dataset <name>` / `crux import nyu-2023 <path>` for external debates
 * (docs/debate-import-format.md).
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

  importCommand
    .command("debates")
    .description(
      "Import external debates (JSONL, see docs/debate-import-format.md) into a dataset analysed like a study",
    )
    .argument("<file>", "debate file (.jsonl), one debate per line")
    .requiredOption("--dataset <name>", 'dataset to import into (its study and question set), e.g. "my-debates"')
    .option("--allow-partial", "import the valid debates even if some lines are bad")
    .option(
      "--license <text>",
      "licence / attribution to store with the questions and passages",
      DEFAULT_DEBATE_LICENSE,
    )
    .option("--owner <email>", "researcher or admin who owns a new dataset (default: the first admin)")
    .option("--json", "print the result as JSON")
    .action(async (file: string, options: ImportDebatesOptions) => {
      let content: string;
      try {
        content = await fs.readFile(file, "utf8");
      } catch (error) {
        throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await runDebateImport(content, path.basename(file), options, {});
    });

  importCommand
    .command("nyu-2023")
    .description("Convert and import the NYU 2023 debate release (Michael et al. 2023, CC BY 4.0)")
    .argument("<path>", "the release directory (with debates/official/ and debates-metadata.jsonl) or one room file")
    .option("--dataset <name>", "dataset to import into", "nyu-2023")
    .option("--offline-judges", "also import each offline judge's judgment as a debate (conditions …-offline)")
    .option("--save-jsonl <file>", "also write the converted debates in the import format")
    .option("--dry-run", "convert and validate only; import nothing")
    .option("--allow-partial", "import the valid debates even if some are bad")
    .option("--license <text>", "licence / attribution to store", NYU_2023_LICENSE)
    .option("--owner <email>", "researcher or admin who owns a new dataset (default: the first admin)")
    .option("--json", "print the result as JSON")
    .action(async (input: string, options: ImportNyuOptions) => {
      const conversion = convertNyuRelease(input, { offlineJudges: options.offlineJudges ?? false });
      if (conversion.rooms === 0) throw new Error(`no NYU debate rooms (*.json) found in ${input}`);
      const content = conversion.debates.map((debate) => JSON.stringify(debate)).join("\n");
      if (options.saveJsonl) await fs.writeFile(options.saveJsonl, content === "" ? "" : `${content}\n`);
      const reasons = new Map<string, number>();
      for (const { reason } of conversion.skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      const converted = {
        rooms: conversion.rooms,
        converted: conversion.debates.length,
        skipped: conversion.skipped,
      };
      if (!options.json) {
        const why = [...reasons].map(([reason, n]) => `${n} ${reason}`).join("; ");
        process.stderr.write(
          `Converted ${plural(conversion.debates.length, "debate")} from ${plural(conversion.rooms, "room")}` +
            `${conversion.skipped.length ? ` (${plural(conversion.skipped.length, "skipped", "skipped")}: ${why})` : ""}.\n`,
        );
      }
      await runDebateImport(content, path.basename(input), options, { conversion: converted, dryRun: options.dryRun });
    });
}

interface ImportDebatesOptions {
  dataset: string;
  allowPartial?: boolean;
  license?: string;
  owner?: string;
  json?: boolean;
}

interface ImportNyuOptions extends ImportDebatesOptions {
  offlineJudges?: boolean;
  saveJsonl?: string;
  dryRun?: boolean;
}

function debateSummary(result: ImportDebatesResult, dataset: string, allowPartial: boolean): string {
  if (result.errors.length > 0 && !allowPartial)
    return `${plural(result.errors.length, "bad line")}, ${plural(result.valid, "valid debate")}: nothing imported.`;
  const where = result.study ? ` (study ${result.study.studyId}, version ${result.study.version})` : "";
  const added = [
    plural(result.questions, "new question"),
    plural(result.passages, "new passage"),
    plural(result.judges, "new judge"),
  ].join(", ");
  const notes: string[] = [];
  if (result.skipped > 0) notes.push(`${plural(result.skipped, "debate")} already present, skipped`);
  if (result.errors.length > 0) notes.push(`${plural(result.errors.length, "bad line")} left out`);
  return (
    `Imported ${plural(result.imported, "debate")} into dataset "${dataset}"${where}: ${added}` +
    `${notes.length ? ` (${notes.join("; ")})` : ""}.`
  );
}

/** Validates, imports (unless a dry run) and reports; exits with status 1 when bad lines blocked the import. */
async function runDebateImport(
  content: string,
  fileName: string,
  options: ImportDebatesOptions,
  extra: { conversion?: object; dryRun?: boolean },
): Promise<void> {
  const dataset = setNameSchema.safeParse(options.dataset);
  if (!dataset.success) throw new Error(`--dataset: ${zodErrorMessage(dataset.error, { path: false })}`);
  let result: ImportDebatesResult;
  if (extra.dryRun) {
    const parsed = parseDebateFile(content);
    result = {
      valid: parsed.debates.length,
      imported: 0,
      skipped: 0,
      errors: parsed.errors,
      questions: 0,
      passages: 0,
      judges: 0,
      study: null,
    };
  } else {
    result = await withDb(
      (db) =>
        importDebates(db, {
          content,
          dataset: dataset.data,
          allowPartial: options.allowPartial ?? false,
          license: options.license,
          ownerEmail: options.owner,
          fileName,
        }),
      { logMigrations: true },
    );
  }
  const failed = result.errors.length > 0 && !options.allowPartial;
  if (options.json) {
    const { study, ...counts } = result;
    const body = {
      ok: !failed,
      file: fileName,
      dataset: dataset.data,
      ...extra,
      ...counts,
      invalid: result.errors.length,
      studyId: study?.studyId ?? null,
      version: study?.version ?? null,
    };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    for (const error of result.errors) process.stderr.write(`line ${error.line}: ${error.message}\n`);
    process.stdout.write(
      extra.dryRun
        ? `Dry run: ${plural(result.valid, "valid debate")}, ${plural(result.errors.length, "bad line")}; nothing imported.\n`
        : `${debateSummary(result, dataset.data, options.allowPartial ?? false)}\n`,
    );
  }
  if (failed)
    throw new Error(
      `${plural(result.errors.length, "bad line")}, so nothing was imported: fix them, or pass --allow-partial to import the ${plural(result.valid, "valid debate")}`,
    );
}
