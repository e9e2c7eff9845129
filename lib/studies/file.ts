import { isNode, LineCounter, parseDocument } from "yaml";
import { parseStudyDesign, type StudyConfig } from "./config";
import { describeStudyIssue } from "./config-messages";

/**
 * Reads a study design from YAML (or JSON, which is YAML too). Every problem is reported with the line it is on —
 * syntax errors from the parser, and schema errors located by walking the document to the offending key — so a
 * researcher can fix a file without guessing.
 */
export type StudyFileResult = { ok: true; config: StudyConfig } | { ok: false; errors: string[] };

export function parseStudyFile(text: string): StudyFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line;
        const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
        return `${line ? `line ${line}: ` : ""}${message}`;
      }),
    };
  }
  const parsed = parseStudyDesign(doc.toJS());
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
      // The deepest node that exists: a missing key is reported on the object that should hold it.
      let line: number | undefined;
      for (let depth = path.length; depth >= 0 && line === undefined; depth--) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
      }
      return `${line ? `line ${line}: ` : ""}${describeStudyIssue(issue)}`;
    }),
  };
}
