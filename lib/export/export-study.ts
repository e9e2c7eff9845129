import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { EXPORT_COLUMNS, EXPORT_TABLES, type ExportTable, type Row } from "./columns";
import { loadExportContext } from "./context";
import { tableRows } from "./tables";

/**
 * Streams a study's data as tidy tables (CSV or JSONL), batch by batch: the CLI (`crux export`) writes the chunks
 * to files or stdout, the download route (`/api/studies/<id>/export`) to the response. Judge ids are pseudonymised
 * by default (lib/export/pseudonym.ts).
 */

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows read from the database per query. */
export const EXPORT_BATCH_SIZE = 2_000;

export interface ExportOptions {
  table: ExportTable;
  format: ExportFormat;
  /** Replace judges' user ids by per-study pseudonyms (default on). */
  pseudonymise?: boolean;
  batchSize?: number;
  /** Called with the number of rows in each chunk, e.g. to report a total. */
  onRows?: (count: number) => void;
}

/** Query of the download route: `?table=turns&format=jsonl&pseudonymise=false`. */
export const exportQuerySchema = z.strictObject({
  table: z.enum(EXPORT_TABLES).default("verdicts"),
  format: z.enum(EXPORT_FORMATS).default("csv"),
  pseudonymise: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
});

/** `<study-name>-<table>.<format>`, safe as a file name. */
export function exportFileName(studyName: string, table: ExportTable, format: ExportFormat): string {
  const slug = studyName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "study"}-${table}.${format}`;
}

/**
 * The table as text chunks (one per database batch; CSV's first chunk carries the header, even with no rows).
 * Throws NOT_FOUND when the study does not exist (on the first read). Access checks are the caller's.
 */
export async function* exportStudy(db: Db, studyId: string, options: ExportOptions): AsyncGenerator<string> {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { id: true } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  const ctx = await loadExportContext(db, studyId, {
    pseudonymise: options.pseudonymise ?? true,
    batchSize: options.batchSize ?? EXPORT_BATCH_SIZE,
  });
  const columns = EXPORT_COLUMNS[options.table];
  let first = true;
  for await (const rows of tableRows(ctx, options.table)) {
    options.onRows?.(rows.length);
    yield encode(rows, columns, options.format, first);
    first = false;
  }
  if (first && options.format === "csv") yield encode([], columns, "csv", true);
}

function encode(rows: Row[], columns: readonly string[], format: ExportFormat, header: boolean): string {
  if (format === "jsonl") return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
  return stringify(rows, {
    header,
    columns: [...columns],
    cast: { boolean: (value) => (value ? "true" : "false"), string: neutraliseFormula },
  });
}

/**
 * A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)` in a judge's explanation or a model's
 * turn) gets a leading apostrophe, as OWASP advises for CSV: spreadsheets show the text, analysis code sees one
 * extra character. JSONL exports keep every text exactly.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A byte stream of the chunks, for a `Response` body; cancelling it stops reading the database. */
export function toReadableStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
