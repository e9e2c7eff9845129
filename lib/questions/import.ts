import { createHash } from "node:crypto";
import { CsvError } from "csv-parse";
import { parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import { chunksOf, writeInBatches } from "../db/batches";
import type { Db } from "../db/client";
import { zodErrorMessage } from "../errors";
import { describeIssues, readJsonlObjects } from "../jsonl";
import {
  CSV_COLUMNS,
  type CsvColumn,
  csvImportRowSchema,
  type ImportError,
  type ImportRow,
  jsonImportRowSchema,
  REQUIRED_CSV_COLUMNS,
  setNameSchema,
} from "./schema";

// Imports researchers' own question sets (docs/import-format.md). Parsing is pure and reports every bad row with
// its physical line; importing is all-or-nothing unless the caller allows a partial import.

export type QuestionFileFormat = "jsonl" | "csv";

/** A valid row, with its id resolved (given, or a hash of its content) and the line it starts on. */
export interface ParsedRow extends ImportRow {
  id: string;
  line: number;
}

export interface ParseResult {
  rows: ParsedRow[];
  errors: ImportError[];
}

/** Licence recorded for imported questions and passages when the importer names none. */
export const DEFAULT_IMPORT_LICENSE = "as provided by the importer";

interface Candidate {
  line: number;
  value: Record<string, unknown>;
}

interface Extracted {
  candidates: Candidate[];
  errors: ImportError[];
  schema: z.ZodType<ImportRow, unknown>;
  fieldName: (path: readonly PropertyKey[]) => string;
}

/**
 * Parses and validates a question file. Every bad row is reported once, with the 1-based physical line it starts
 * on (also for CSV rows whose quoted fields span lines) and all its problems; blank lines are skipped. A CSV syntax
 * error (bad quoting) stops reading at that row, since nothing after it can be located reliably.
 */
export function parseQuestionFile(content: string, format: QuestionFileFormat): ParseResult {
  // Normalise line endings first: physical line numbers stay the same and multi-line fields get plain "\n".
  const text = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const extracted = format === "csv" ? extractCsv(text) : extractJsonl(text);
  const errors = [...extracted.errors];
  const rows: ParsedRow[] = [];
  const firstLineOfId = new Map<string, { line: number; hashed: boolean }>();

  for (const { line, value } of extracted.candidates) {
    const parsed = extracted.schema.safeParse(value);
    if (!parsed.success) {
      errors.push({ line, message: describeIssues(parsed.error.issues, extracted.fieldName) });
      continue;
    }
    const row = parsed.data;
    const id = row.id ?? contentId(row);
    const first = firstLineOfId.get(id);
    if (first) {
      errors.push({
        line,
        message: first.hashed
          ? `duplicate of the row on line ${first.line} (same question, options and passage)`
          : `duplicate id "${id}" (first used on line ${first.line})`,
      });
      continue;
    }
    firstLineOfId.set(id, { line, hashed: row.id === undefined });
    rows.push({ ...row, id, line });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

/**
 * Stable id for a row without one: what makes it the same question (text, options, passage). Gold and tags are left
 * out on purpose, so a re-import after correcting them is recognised as the same question (and skipped) instead of
 * creating a second copy; give explicit ids to manage edits.
 */
function contentId(row: ImportRow): string {
  const key = JSON.stringify([row.question, row.options[0], row.options[1], row.passage ?? null]);
  return `h-${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// JSONL

function extractJsonl(text: string): Extracted {
  const { rows: candidates, errors } = readJsonlObjects(text, "one question");
  return {
    candidates,
    errors,
    schema: jsonImportRowSchema,
    fieldName: (path) =>
      path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i ? "." : ""}${String(key)}`)).join(""),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

interface CsvRecord {
  cells: string[];
  line: number;
}

/** Reads CSV records with the line each starts on; a syntax error ends the read (records before it are kept). */
function readCsvRecords(text: string): { records: CsvRecord[]; error?: ImportError } {
  const records: CsvRecord[] = [];
  // Empty lines are not skipped by the parser, so records are contiguous: each starts on the line after the one
  // the previous record ended on (csv-parse reports only end lines), which is what makes multi-line fields work.
  let lastEnd = 0;
  try {
    parseCsv(text, {
      relax_column_count: true, // column counts are checked per row below, with a better message
      on_record: (record: string[], context) => {
        records.push({ cells: record, line: lastEnd + 1 });
        lastEnd = context.lines;
        return null; // collected here, so that a later syntax error does not lose them
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { records, error: { line: lastEnd + 1, message: csvSyntaxMessage(error) } };
  }
  return { records };
}

function csvSyntaxMessage(error: CsvError): string {
  const detail =
    error.code === "CSV_QUOTE_NOT_CLOSED"
      ? "a quoted field starting on this row is never closed"
      : error.code === "CSV_INVALID_CLOSING_QUOTE"
        ? 'a quoted field is followed by other text; quote the whole field and double any quote inside it ("")'
        : error.message;
  return `CSV syntax error: ${detail}; the rest of the file was not read`;
}

const csvFieldNames: Record<string, string> = {
  options: "option_a/option_b",
  "options.0": "option_a",
  "options.1": "option_b",
};

function extractCsv(text: string): Extracted {
  const { records, error } = readCsvRecords(text);
  const errors: ImportError[] = error ? [error] : [];
  const nonBlank = records.filter((record) => record.cells.some((cell) => cell.trim() !== ""));
  const [header, ...body] = nonBlank;
  const result = (candidates: Candidate[]): Extracted => ({
    candidates,
    errors,
    schema: csvImportRowSchema,
    fieldName: (path) => {
      const key = path.map(String).join(".");
      return csvFieldNames[key] ?? String(path[0]);
    },
  });
  if (!header) {
    if (!error) errors.push({ line: 1, message: "the file is empty (a header row is required)" });
    return result([]);
  }

  const columns = header.cells.map((cell) => cell.trim().toLowerCase());
  const headerProblems = checkCsvHeader(columns);
  if (headerProblems.length > 0) {
    errors.push({ line: header.line, message: `bad header: ${headerProblems.join("; ")}` });
    return result([]);
  }

  const candidates: Candidate[] = [];
  for (const record of body) {
    if (record.cells.length !== columns.length) {
      errors.push({
        line: record.line,
        message: `has ${record.cells.length} fields but the header has ${columns.length} (quote fields that contain commas)`,
      });
      continue;
    }
    candidates.push({ line: record.line, value: csvRowObject(columns as CsvColumn[], record.cells) });
  }
  return result(candidates);
}

function checkCsvHeader(columns: string[]): string[] {
  const problems: string[] = [];
  const known = CSV_COLUMNS as readonly string[];
  const unknown = columns.filter((c) => !known.includes(c));
  if (unknown.length > 0) {
    const names = unknown.map((c) => (c === "" ? "(empty)" : `"${c}"`)).join(", ");
    problems.push(`unknown column${unknown.length > 1 ? "s" : ""} ${names} (allowed: ${CSV_COLUMNS.join(", ")})`);
  }
  const repeated = [...new Set(columns.filter((c, i) => columns.indexOf(c) !== i))];
  if (repeated.length > 0) problems.push(`repeated column${repeated.length > 1 ? "s" : ""} ${repeated.join(", ")}`);
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  return problems;
}

/** A CSV row as an import object: empty cells are absent fields, `tags` split on "|". */
function csvRowObject(columns: CsvColumn[], cells: string[]): Record<string, unknown> {
  const cell = (name: CsvColumn): string | undefined => {
    const value = cells[columns.indexOf(name)];
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const row: Record<string, unknown> = { options: [cell("option_a"), cell("option_b")] };
  for (const name of ["id", "question", "gold", "passage", "title"] as const) {
    const value = cell(name);
    if (value !== undefined) row[name] = value;
  }
  const tags = cell("tags");
  if (tags !== undefined) {
    row.tags = tags
      .split("|")
      .map((tag) => tag.trim())
      .filter((tag) => tag !== "");
  }
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// Import into the database

export interface ImportOptions {
  /** The file's text. */
  content: string;
  format: QuestionFileFormat;
  /** Question set to import into (Question.source / Passage.source); see `setNameSchema`. */
  set: string;
  /** Import the valid rows even when some rows are bad (default: import nothing if any row is bad). */
  allowPartial?: boolean;
  /** Licence / attribution stored with the questions and passages (default `DEFAULT_IMPORT_LICENSE`). */
  license?: string;
}

export interface ImportResult {
  /** Rows that passed validation (imported + skipped, or what would have been imported without the errors). */
  valid: number;
  /** Questions inserted. */
  imported: number;
  /** Valid rows not inserted because the set already has a question with their id. */
  skipped: number;
  /** Passages inserted (identical passage texts in a set are stored once). */
  passages: number;
  /** Bad rows; when non-empty and `allowPartial` is off, nothing was imported. */
  errors: ImportError[];
}

/** Passage identity within a set: its text, so that rows quoting the same passage share one Passage. */
function passageExternalId(text: string): string {
  return `sha256-${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
}

/** Rows per transaction: each batch is two multi-row inserts (passages, then questions), a fraction of a second. */
const ROWS_PER_BATCH = 100;

/**
 * Imports a question file into the set `set`, in batches of {@link ROWS_PER_BATCH} rows, each its own short
 * transaction, so that a server on the same database never waits long for the lock. Idempotent: rows whose id the
 * set already has are skipped (and a passage already stored is reused), so re-running an import that stopped half
 * way adds only what is missing. Throws on an invalid set name or licence (caller mistakes); bad rows are returned
 * in `errors`.
 */
export async function importQuestions(db: Db, options: ImportOptions): Promise<ImportResult> {
  const set = setNameSchema.safeParse(options.set);
  if (!set.success) throw new Error(zodErrorMessage(set.error, { path: false }));
  const license = (options.license ?? DEFAULT_IMPORT_LICENSE).trim();
  if (license === "") throw new Error("the licence must not be empty");

  const { rows, errors } = parseQuestionFile(options.content, options.format);
  const nothing = { valid: rows.length, imported: 0, skipped: 0, passages: 0, errors };
  if ((errors.length > 0 && !options.allowPartial) || rows.length === 0) return nothing;

  const source = set.data;
  const present = await db.question.findMany({ where: { source }, select: { externalId: true } });
  const presentIds = new Set(present.map((q) => q.externalId));
  const fresh = rows.filter((row) => !presentIds.has(row.id));
  const batches = await writeInBatches(db, chunksOf(fresh, ROWS_PER_BATCH), (tx, batch) =>
    saveQuestionRows(tx, source, batch, license),
  );
  const passages = batches.reduce((sum, created) => sum + created, 0);
  return { valid: rows.length, imported: fresh.length, skipped: rows.length - fresh.length, passages, errors };
}

/** One batch: its new passages (one per distinct text, named by the first row that brings it), then its questions. */
async function saveQuestionRows(tx: Db, source: string, rows: ParsedRow[], license: string): Promise<number> {
  const wanted = new Map<string, { title: string; text: string }>();
  for (const row of rows) {
    if (row.passage === undefined) continue;
    const key = passageExternalId(row.passage);
    if (!wanted.has(key)) wanted.set(key, { title: row.title ?? "Untitled passage", text: row.passage });
  }
  const passageIds = new Map<string, string>();
  if (wanted.size > 0) {
    const known = await tx.passage.findMany({
      where: { source, externalId: { in: [...wanted.keys()] } },
      select: { id: true, externalId: true },
    });
    for (const p of known) passageIds.set(p.externalId, p.id);
  }
  const newPassages = [...wanted].filter(([key]) => !passageIds.has(key));
  const created = await tx.passage.createManyAndReturn({
    data: newPassages.map(([externalId, p]) => ({ source, externalId, title: p.title, text: p.text, license })),
    select: { id: true, externalId: true },
  });
  for (const p of created) passageIds.set(p.externalId, p.id);
  await tx.question.createMany({
    data: rows.map((row) => ({
      source,
      externalId: row.id,
      passageId: row.passage === undefined ? null : (passageIds.get(passageExternalId(row.passage)) ?? null),
      text: row.question,
      options: row.options,
      gold: row.gold,
      tags: row.tags ?? [],
      license,
    })),
  });
  return created.length;
}
