import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Prompt templates: versioned markdown files next to this module, named `<name>.<version>.md`.
 *
 * File format (no front matter):
 * - optionally, one leading HTML comment `<!-- … -->` for maintainers; it is never sent to a model;
 * - then a line `# system` and, after it, a line `# user` (exactly once each, in that order); each section runs to
 *   the next heading line or the end of the file and is trimmed;
 * - `{{name}}` placeholders (a letter, then letters or digits) anywhere in either section. Any other `{{` or `}}`
 *   is rejected when the file is loaded, so a typo such as `{{ name}}` or `{{name}` fails loudly.
 *
 * Rendering is strict: a placeholder without a value throws, and so does a value no placeholder uses. Values are
 * inserted in one pass, so a story that happens to contain `{{x}}` is never expanded.
 */

/** A parsed template. `id` is `<name>.<version>`, e.g. "debater.v1". */
export interface PromptTemplate {
  id: string;
  system: string;
  user: string;
  /** Every placeholder name used in either section. */
  placeholders: ReadonlySet<string>;
}

/** A rendered prompt, ready to send. */
export interface RenderedPrompt {
  system: string;
  user: string;
  /** Template id, e.g. "debater.v1". */
  version: string;
  /** sha256 (hex) of `system + "\u0000" + user`: identifies exactly what was sent, for records and caches. */
  hash: string;
}

/** Values for a template's placeholders. Numbers are written with `String()`. */
export type PromptVars = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const HEADING = /^# (system|user)[ \t]*$/gm;
const LEADING_COMMENT = /^\s*<!--[\s\S]*?-->/;

/** Thrown for a malformed template file or a render with missing or unused variables. */
export class PromptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PromptTemplateError";
  }
}

/** Parses the text of a template file. `id` only labels error messages and the result. */
export function parseTemplate(source: string, id: string): PromptTemplate {
  const body = source
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(LEADING_COMMENT, "");
  const headings = [...body.matchAll(HEADING)];
  const kinds = headings.map((h) => h[1]);
  if (kinds.length !== 2 || kinds[0] !== "system" || kinds[1] !== "user") {
    throw new PromptTemplateError(
      `prompt template ${id}: expected exactly one "# system" line followed by one "# user" line, found [${kinds.join(", ")}]`,
    );
  }
  const [system, user] = headings as [RegExpExecArray, RegExpExecArray];
  if (body.slice(0, system.index).trim() !== "") {
    throw new PromptTemplateError(`prompt template ${id}: only an HTML comment may come before "# system"`);
  }
  const sections = {
    system: body.slice(system.index + system[0].length, user.index).trim(),
    user: body.slice(user.index + user[0].length).trim(),
  };
  const placeholders = new Set<string>();
  for (const [section, text] of Object.entries(sections)) {
    if (text === "") throw new PromptTemplateError(`prompt template ${id}: the ${section} section is empty`);
    // Whatever is left after removing well-formed placeholders must hold no braces pair at all.
    const stray = /\{\{|\}\}/.exec(text.replace(PLACEHOLDER, ""));
    if (stray) {
      const line = text.replace(PLACEHOLDER, "").slice(0, stray.index).split("\n").length;
      throw new PromptTemplateError(
        `prompt template ${id}: malformed placeholder near "${stray[0]}" in the ${section} section, line ${line} (use {{name}})`,
      );
    }
    for (const match of text.matchAll(PLACEHOLDER)) placeholders.add(match[1] as string);
  }
  return { id, ...sections, placeholders };
}

/** Fills a template strictly (see the module comment) and hashes the result. */
export function renderTemplate(template: PromptTemplate, vars: PromptVars): RenderedPrompt {
  const given = Object.keys(vars);
  const missing = [...template.placeholders].filter((name) => !Object.hasOwn(vars, name));
  const unused = given.filter((name) => !template.placeholders.has(name));
  if (missing.length > 0 || unused.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : "",
      unused.length > 0 ? `unused ${unused.join(", ")}` : "",
    ].filter(Boolean);
    throw new PromptTemplateError(`prompt ${template.id}: ${parts.join("; ")}`);
  }
  const fill = (text: string): string => text.replace(PLACEHOLDER, (_, name: string) => String(vars[name]));
  const system = fill(template.system);
  const user = fill(template.user);
  const hash = createHash("sha256").update(`${system}\u0000${user}`).digest("hex");
  return { system, user, version: template.id, hash };
}

/**
 * Where the template files are. Under tsx (and vitest) this module's own directory; inside Next's server bundle
 * `import.meta.dirname` is undefined (or points into the bundle), and the server runs from the project root.
 */
function templateDirs(): string[] {
  const dirs: string[] = [];
  if (import.meta.dirname) dirs.push(import.meta.dirname);
  dirs.push(path.join(process.cwd(), "lib", "models", "prompts"));
  return dirs;
}

/** Reads and parses `<name>.<version>.md`. Throws a PromptTemplateError naming every place it looked. */
export function readTemplateFile(name: string, version: string): PromptTemplate {
  const id = `${name}.${version}`;
  const candidates = templateDirs().map((dir) => path.join(dir, `${id}.md`));
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) throw new PromptTemplateError(`prompt template ${id} not found (looked in ${candidates.join(", ")})`);
  return parseTemplate(fs.readFileSync(file, "utf8"), id);
}
