import { stringify } from "csv-stringify/sync";
import { strToU8, Zip, ZipDeflate } from "fflate";
import { z } from "zod";

import { hasRole } from "../auth/roles";
import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { listSchema as tagListSchema } from "../list-param";
import { EXPORT_COLUMNS, EXPORT_TABLES, type ExportTable, type Row } from "./columns";
import { type ExportContext, loadExportContext } from "./context";
import { tableRows } from "./tables";

/**
 * Streams a study's data as tidy tables (CSV or JSONL), batch by batch, one table or every table in one zip: the CLI
 * (`crux export`) writes the chunks to files or stdout, the download route (`/api/studies/<id>/export`) to the
 * response. Judge and recruiting-platform ids are pseudonymised unless the export is raw (lib/export/pseudonym.ts).
 */

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows read from the database per query. */
export const EXPORT_BATCH_SIZE = 2_000;

export interface ExportOptions {
  table: ExportTable;
  format: ExportFormat;
  /** Export user ids and recruiting-platform ids as they are, instead of per-study pseudonyms (default off). */
  raw?: boolean;
  /** Only the matches carrying every one of these tags (imported debates' tags; exact, case-sensitive) in the match tables. */
  tags?: readonly string[];
  batchSize?: number;
  /** Called with the number of rows in each chunk, e.g. to report a total. */
  onRows?: (count: number) => void;
}

/** Every table, or one: what a download or the CLI may ask for. */
export const EXPORT_CHOICES = [...EXPORT_TABLES, "all"] as const;
export type ExportChoice = (typeof EXPORT_CHOICES)[number];
const exportChoiceSchema = z
  .string()
  // The names of earlier releases (judge-steps) still work.
  .transform((name) => name.replaceAll("-", "_"))
  .pipe(z.enum(EXPORT_CHOICES));

/** Query of the download route: `?table=turns&format=jsonl`, `?table=all`, `&raw=1` for the ids as they are. */
export const exportQuerySchema = z.strictObject({
  table: exportChoiceSchema.default("verdicts"),
  format: z.enum(EXPORT_FORMATS).default("csv"),
  raw: z
    .enum(["true", "false", "1", "0", "on"])
    .default("false")
    .transform((v) => v === "true" || v === "1" || v === "on"),
  /** Only matches carrying every tag (repeat `tag=`, or comma-separate). */
  tag: tagListSchema,
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/**
 * Raw ids (participants' user ids and Prolific ids as they are) are for the study's owner and admins only: added
 * researchers see pseudonyms. Every download is audited, raw ones included.
 */
export function mayExportRawIds(user: { id: string; role: string }, study: { ownerId: string }): boolean {
  return hasRole(user, "admin") || study.ownerId === user.id;
}

/** `<study-name>-<table>.<format>`, or `<study-name>-<format>.zip` for every table; safe as a file name. */
export function exportFileName(studyName: string, table: ExportChoice, format: ExportFormat): string {
  const slug =
    studyName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "study";
  return table === "all" ? `${slug}-${format}.zip` : `${slug}-${table}.${format}`;
}

async function contextFor(
  db: Db,
  studyId: string,
  options: { raw?: boolean; batchSize?: number; tags?: readonly string[] },
) {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { id: true } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  return loadExportContext(db, studyId, {
    raw: options.raw ?? false,
    tags: options.tags ?? [],
    batchSize: options.batchSize ?? EXPORT_BATCH_SIZE,
  });
}

/**
 * The table as text chunks (one per database batch; CSV's first chunk carries the header, even with no rows).
 * Throws NOT_FOUND when the study does not exist (on the first read). Access checks are the caller's.
 */
export async function* exportStudy(db: Db, studyId: string, options: ExportOptions): AsyncGenerator<string> {
  yield* tableChunks(await contextFor(db, studyId, options), options);
}

async function* tableChunks(
  ctx: ExportContext,
  options: Pick<ExportOptions, "table" | "format" | "onRows">,
): AsyncGenerator<string> {
  const columns = EXPORT_COLUMNS[options.table];
  let first = true;
  for await (const rows of tableRows(ctx, options.table)) {
    options.onRows?.(rows.length);
    yield encode(rows, columns, options.format, first);
    first = false;
  }
  if (first && options.format === "csv") yield encode([], columns, "csv", true);
}

/**
 * Every table, the codebook included, as one zip (`<table>.<format>` entries), streamed: each table's chunks are
 * compressed as they are read, and the zip's bytes handed on as they come, so a large study never sits in memory.
 * Throws NOT_FOUND when the study does not exist (on the first read).
 */
export async function* exportStudyZip(
  db: Db,
  studyId: string,
  options: Omit<ExportOptions, "table" | "onRows"> & { onRows?: (table: ExportTable, count: number) => void },
): AsyncGenerator<Uint8Array> {
  const ctx = await contextFor(db, studyId, options);
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  // fflate's Zip and ZipDeflate work synchronously: each push hands its compressed bytes to this callback at once.
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else ready.push(data);
  });
  const drain = function* () {
    if (failure) throw failure;
    yield* ready.splice(0);
  };
  for (const table of EXPORT_TABLES) {
    const file = new ZipDeflate(`${table}.${options.format}`, { level: 6 });
    zip.add(file);
    const chunks = tableChunks(ctx, { table, format: options.format, onRows: (n) => options.onRows?.(table, n) });
    for await (const chunk of chunks) {
      file.push(strToU8(chunk));
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
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
export function toReadableStream(chunks: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
