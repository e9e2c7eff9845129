import { z } from "zod";
import type { DebaterSeat } from "../debate/types";

/**
 * The rows the results queries (./results-sql.ts) hand back, and how their loosely typed values are read: numbers
 * arrive as bigint or decimal text depending on the database, JSON columns as parsed values or text.
 */

/** Any number the database hands back (SQLite integers arrive as bigint, PostgreSQL averages as decimals). */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value === null || value === undefined) return 0;
  return Number(String(value));
}

/** {@link toNumber}, keeping "no value" apart from 0. */
export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** A JSON column: parsed by Prisma already on both databases, but accept text too. */
export function json(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** A decimal the database driver hands back as an object (PostgreSQL's numeric, as Prisma's Decimal). */
const isDecimalObject = (value: unknown): value is { toNumber(): number } =>
  typeof value === "object" && value !== null && typeof (value as { toNumber?: unknown }).toNumber === "function";

/**
 * Raw rows as plain data: PostgreSQL's numeric sums arrive as Decimal objects, which carry methods and so cannot be
 * posted to the resampling worker (structured clone refuses them); they become numbers here.
 */
export function plainRows<Row>(rows: Row[]): Row[] {
  return rows.map((row) => {
    let copy: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
      if (!isDecimalObject(value)) continue;
      copy ??= { ...(row as Record<string, unknown>) };
      copy[key] = value.toNumber();
    }
    return (copy ?? row) as Row;
  });
}

/** One key for a tuple of column values (bigints as numbers), for grouping rows in maps. */
export const keyOf = (...parts: unknown[]) =>
  parts
    .map((p) =>
      typeof p === "string" ? p : JSON.stringify(p ?? null, (_k, v) => (typeof v === "bigint" ? Number(v) : v)),
    )
    .join("\u0000");

/** A row of ./results-sql.ts outcomesQuery: an "outcome" or a "forecast" (columns of the other kind are null). */
export interface OutcomeRow {
  part: "outcome" | "forecast";
  condition: string | null;
  protocol: string;
  bucket: "included" | "practice" | "abandoned" | "errored" | "participant" | "corrected" | "pending";
  rounds: unknown;
  debaters: unknown;
  chosen: unknown;
  ok: unknown;
  probabilities: unknown;
  n: unknown;
  correct: unknown;
  score: unknown;
}

/**
 * A debater of an outcome row, as tallied: a stored `DebaterSeat` (lib/debate/types.ts) read leniently — its seat is
 * not needed, so an odd seat name does not drop the row.
 */
export type TalliedSeat = Pick<DebaterSeat, "option" | "model" | "honest">;

/** The debaters of an outcome row (its `debaters` JSON column); none when the column is unreadable. */
export const seatsSchema = z
  .array(z.object({ seat: z.string(), option: z.number(), model: z.string(), honest: z.boolean().optional() }))
  .catch([]);

/** A row of judgesQuery: one judge's verdict sums. */
export interface JudgeQueryRow {
  judge: string;
  kind: string;
  n: number;
  correct: number;
  score: number;
}

/** A row of questionCellsQuery: one question's verdict sums under one condition. */
export interface QuestionCellRow {
  questionId: string;
  condition: string;
  n: number;
  correct: number;
}
