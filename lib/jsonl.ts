import type { z } from "zod";

/**
 * Reading JSON Lines files for the importers (questions, debates): one JSON object per line, blank lines skipped,
 * a byte-order mark and any line ending accepted, every bad line reported with its 1-based physical line number.
 */

export interface JsonlObject {
  line: number;
  value: Record<string, unknown>;
}

export interface LineError {
  line: number;
  message: string;
}

/** The objects of a JSONL text and the lines that are not JSON objects; `what` names one object in messages. */
export function readJsonlObjects(text: string, what: string): { rows: JsonlObject[]; errors: LineError[] } {
  const rows: JsonlObject[] = [];
  const errors: LineError[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .forEach((source, index) => {
      const line = index + 1;
      if (source.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(source);
      } catch (error) {
        errors.push({ line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        errors.push({ line, message: `each line must be a JSON object (${what})` });
        return;
      }
      rows.push({ line, value: value as Record<string, unknown> });
    });
  return { rows, errors };
}

/** "options[1] is empty; gold must be 0 or 1": issue messages are predicates, the field name goes in front. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  fieldName: (path: readonly PropertyKey[]) => string,
): string {
  const messages = issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${fieldName(issue.path)} ${issue.message}`,
  );
  return [...new Set(messages)].join("; ");
}
