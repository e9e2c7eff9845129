import { createHash } from "node:crypto";
import type { Db } from "../db/client";

/**
 * Prompts are stored with their story kept once. Every model call records the prompt it sent (`ModelCall.prompt`),
 * and a debater's prompt holds the whole story, as does every prompt's system text: stored in full, an AI match
 * would keep its story six times over (~170 KB). Instead, long texts the caller names as shared (the passage, the
 * system prompt) are cut out of the prompt's JSON text and kept once in `PromptPart`, content-addressed; the call
 * keeps the rest and, in `promptParts`, where each part went. `restorePrompt` puts them back: the result is the
 * exact JSON text of the prompt as sent, byte for byte.
 *
 * Offsets count Unicode code points (not UTF-16 units), as SQL's string functions do, so that the migration that
 * converted earlier rows (`…_prompt_parts`) and this code agree.
 */

/** Where one part was cut: in the stored text, at code point `at` (parts at the same offset in list order). */
export interface PromptRef {
  part: string;
  at: number;
}

/** Texts shorter than this are not worth a reference. */
export const MIN_PART_LENGTH = 256;

/** The id of a part: the SHA-256 of its text, in hex. */
export function promptPartId(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A text as it appears inside a JSON string literal (what JSON.stringify writes between the quotes). */
function escaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Code points in `text` before UTF-16 index `index`. */
function codePointsBefore(text: string, index: number): number {
  let count = 0;
  for (let i = 0; i < index; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: count it at the high one only.
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) continue;
    }
    count += 1;
  }
  return count;
}

/** The UTF-16 index of code point `points` in `text`. */
function indexOfCodePoint(text: string, points: number): number {
  let index = 0;
  for (let seen = 0; seen < points && index < text.length; seen++) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    index += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return index;
}

/**
 * Cuts every occurrence of the shared texts out of a prompt's JSON text. Returns the rest, the references, and the
 * parts used (id → text). When the rest would not be the JSON text of a value that serialises back to itself, or
 * restoring would not give the original (a pathological overlap), nothing is cut.
 */
export function compactPrompt(
  json: string,
  shared: readonly string[],
): { json: string; refs: PromptRef[]; parts: Map<string, string> } {
  const candidates = [...new Set(shared)].filter((text) => text.length >= MIN_PART_LENGTH);
  const found: Array<{ start: number; end: number; text: string }> = [];
  for (const text of candidates) {
    const needle = escaped(text);
    for (let at = json.indexOf(needle); at >= 0; at = json.indexOf(needle, at + needle.length)) {
      found.push({ start: at, end: at + needle.length, text });
    }
  }
  // Earliest first, the longest of those starting together; overlapping matches are left in place.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  let rest = "";
  let from = 0;
  const refs: PromptRef[] = [];
  const parts = new Map<string, string>();
  for (const match of found) {
    if (match.start < from) continue;
    rest += json.slice(from, match.start);
    const id = promptPartId(match.text);
    refs.push({ part: id, at: codePointsBefore(rest, rest.length) });
    parts.set(id, match.text);
    from = match.end;
  }
  rest += json.slice(from);
  const unchanged = { json, refs: [], parts: new Map<string, string>() };
  if (refs.length === 0) return unchanged;
  try {
    if (JSON.stringify(JSON.parse(rest)) !== rest) return unchanged;
  } catch {
    return unchanged;
  }
  if (restorePrompt(rest, refs, (id) => parts.get(id)) !== json) return unchanged;
  return { json: rest, refs, parts };
}

/** The prompt's exact JSON text from its stored rest and references. Throws when a part is missing. */
export function restorePrompt(
  json: string,
  refs: readonly PromptRef[],
  partText: (id: string) => string | undefined,
): string {
  let out = json;
  // From the last reference back, so that earlier offsets still point into unchanged text.
  for (let i = refs.length - 1; i >= 0; i--) {
    const ref = refs[i] as PromptRef;
    const text = partText(ref.part);
    if (text === undefined) throw new Error(`prompt part ${ref.part} is missing`);
    const index = indexOfCodePoint(out, ref.at);
    out = out.slice(0, index) + escaped(text) + out.slice(index);
  }
  return out;
}

/** A transaction's client (parts are saved in the transaction of the call that uses them). */
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Stores parts not stored yet (parts never change: an existing id already has this text). */
export async function savePromptParts(db: Db | Tx, parts: ReadonlyMap<string, string>): Promise<void> {
  for (const [id, text] of parts) {
    await db.promptPart.upsert({ where: { id }, create: { id, text }, update: {}, select: { id: true } });
  }
}

/** The texts of the parts `ids` (id → text). */
export async function loadPromptParts(db: Db | Tx, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.promptPart.findMany({ where: { id: { in: wanted } }, select: { id: true, text: true } });
  return new Map(rows.map((row) => [row.id, row.text]));
}

/** Reads a stored `promptParts` column (a JSON list of references; anything else is none). */
export function parsePromptRefs(value: unknown): PromptRef[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (ref): ref is PromptRef =>
      typeof ref === "object" && ref !== null && typeof ref.part === "string" && Number.isInteger(ref.at),
  );
}

/**
 * Stored model calls with their prompts whole again: each call's `prompt` becomes the value sent (parsed from the
 * exact JSON text `restorePrompt` gives), and `promptText` that text.
 */
export async function withFullPrompts<T extends { prompt: unknown; promptParts: unknown }>(
  db: Db | Tx,
  calls: readonly T[],
): Promise<Array<T & { promptText: string }>> {
  const refs = calls.map((call) => parsePromptRefs(call.promptParts));
  const parts = await loadPromptParts(
    db,
    refs.flatMap((list) => list.map((ref) => ref.part)),
  );
  return calls.map((call, i) => {
    const promptText = restorePrompt(JSON.stringify(call.prompt), refs[i] ?? [], (id) => parts.get(id));
    return { ...call, prompt: JSON.parse(promptText) as unknown, promptText };
  });
}
