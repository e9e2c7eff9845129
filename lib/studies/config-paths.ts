import type { z } from "zod";
import { dottedPath, zodIssueMessage } from "../errors";
import type { StudyConfigInput } from "./config";

/**
 * Paths into a study design, typed from its schema, and the design's validation issues keyed by them. The design
 * form asks for the messages at `["conditions", i, "wordLimit"]`; a renamed or removed field no longer typechecks,
 * where a hand-typed "conditions.0.wordLimit" would silently never match again.
 */

/** Every path into `T` as a tuple of keys and array indices, from one key deep to the leaves. */
export type PathOf<T> = T extends readonly (infer Item)[]
  ? [number] | [number, ...PathOf<Item>]
  : T extends object
    ? { [K in keyof T & string]-?: [K] | [K, ...PathOf<NonNullable<T[K]>>] }[keyof T & string]
    : never;

/** A path into a study design (its input shape, as the form and YAML editor send it). */
export type StudyConfigPath = PathOf<StudyConfigInput>;

/** One validation issue as the form receives it: its path joined with dots ("conditions.1.name"), and its message. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The issues of a refused design, for the form (plain data, so a server action can return them). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: dottedPath(issue.path),
    message: zodIssueMessage(issue, { path: false }),
  }));
}

/** The messages of the issues at `path` or anywhere below it (a condition's "scoring" covers "scoring.roundCost"). */
export function messagesAt(issues: readonly FieldIssue[], path: StudyConfigPath): string[] {
  const key = path.join(".");
  return issues.filter((i) => i.path === key || i.path.startsWith(`${key}.`)).map((i) => i.message);
}
