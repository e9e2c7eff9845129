import type { z } from "zod";
import { describeIssues as describeLineIssues, readJsonlObjects } from "../jsonl";
import { type DebateImportError, type DebateImportRow, debateImportRowSchema } from "./debate-schema";

/**
 * Parses a debate JSONL file (docs/debate-import-format.md): one JSON object per line, blank lines skipped, every
 * bad line reported once with its 1-based physical line number and all of its problems.
 */

export interface ParsedDebate extends DebateImportRow {
  /** Physical line of the file the debate is on. */
  line: number;
}

export interface DebateParseResult {
  debates: ParsedDebate[];
  errors: DebateImportError[];
}

export function parseDebateFile(content: string): DebateParseResult {
  const debates: ParsedDebate[] = [];
  const errors: DebateImportError[] = [];
  const firstLineOfId = new Map<string, number>();
  const lines = readJsonlObjects(content, "one debate");
  errors.push(...lines.errors);
  for (const { line, value } of lines.rows) {
    const parsed = debateImportRowSchema.safeParse(value, { error: predicate });
    if (!parsed.success) {
      errors.push({ line, message: describeIssues(parsed.error.issues) });
      continue;
    }
    const first = firstLineOfId.get(parsed.data.id);
    if (first !== undefined) {
      errors.push({ line, message: `duplicate id "${parsed.data.id}" (first used on line ${first})` });
      continue;
    }
    firstLineOfId.set(parsed.data.id, line);
    debates.push({ ...parsed.data, line });
  }
  errors.sort((a, b) => a.line - b.line);
  return { debates, errors };
}

/** `turns[2].speaker`, `question.options[1]`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i ? "." : ""}${String(key)}`)).join("");
}

/** "turns[0].round must be at most 10; judge.kind must be one of …": field name, then the predicate. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return describeLineIssues(issues, fieldName);
}

/** Per-parse error map: zod's issues as predicates that read well after a field name. */
function predicate(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is missing";
      return `must be ${article(issue.expected)} (got ${describeValue(issue.input)})`;
    case "invalid_value":
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")} (got ${describeValue(issue.input)})`;
    case "too_small":
      if (issue.origin === "array") return `must have at least ${issue.minimum} entries`;
      if (issue.origin === "string") return "is empty";
      return `must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${issue.maximum} entries`;
      if (issue.origin === "string") return `is longer than ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case "unrecognized_keys": {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      const shape = (issue.inst as { def?: { shape?: Record<string, unknown> } } | undefined)?.def?.shape;
      const allowed = shape ? ` (allowed: ${Object.keys(shape).join(", ")})` : "";
      return `has unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}${allowed}`;
    }
    case "invalid_union":
      return "has the wrong type";
    default:
      return undefined;
  }
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  if (expected === "tuple") return "an array";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
