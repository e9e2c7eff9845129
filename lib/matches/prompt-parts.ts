import { createHash } from "node:crypto";
import type { Db } from "../db/client";

/**
 * Prompts are stored with their long texts kept once. Every model call records the prompt it sent
 * (`ModelCall.prompt`), and a debater's prompt holds the whole story, every prompt its system text, and later
 * prompts every earlier turn: stored in full, an AI match would keep its story six times over (~170 KB). Instead,
 * long texts the caller names as shared are cut out of the prompt's JSON text: the story is referred to by its
 * Passage row (the question bank has it already), the system prompt, the turns as transcripts render them and every
 * paragraph of 64 characters or more (the templates' fixed text, a match's question and roles) are kept once in
 * `PromptPart`, content-addressed; the call keeps the rest and, in `promptParts`, where each part went.
 * `restorePrompt` puts them back: the result is the exact JSON text of the prompt as sent, byte for byte.
 *
 * Offsets count Unicode code points (not UTF-16 units), as SQL's string functions do, so that the migration that
 * converted earlier rows (`…_prompt_parts`) and this code agree.
 */

/**
 * Where one part was cut: in the stored text, at code point `at` (parts at the same offset in list order). A story's
 * reference also names its Passage row (`passage`): the text is read from there, not from PromptPart, and must
 * still hash to `part`.
 */
export interface PromptRef {
  part: string;
  at: number;
  passage?: string;
}

/** Texts shorter than this are not worth a reference (a reference costs about 30 bytes, a part's row about 60). */
export const MIN_PART_LENGTH = 64;

/**
 * The id of a part: the SHA-256 of its text, its first 132 bits in base64url (22 characters; no two texts of any
 * realistic store share it). Parts stored before (…_prompt_parts, and calls recorded until the short ids) have the
 * whole SHA-256 in hex, or `passage:<id>`; their references name them so, and they are read as they are.
 */
export function promptPartId(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64url").slice(0, 22);
}

/** Whether `id` is the id of `text`, in either form (short, or the whole SHA-256 in hex of earlier rows). */
function isIdOf(id: string, text: string): boolean {
  return id.length === 64 ? createHash("sha256").update(text, "utf8").digest("hex") === id : promptPartId(text) === id;
}

/** Marks where a shared text was taken out of a message before it is split into paragraphs. */
const CUT = "\0";

/**
 * The paragraphs of a prompt's messages worth a reference of their own: the fixed texts of the templates (what a
 * debater is told each round, how the judge answers) and the texts repeated in every call of a match (the question
 * and options, a seat's role), each kept once in PromptPart. The texts referred to anyway (the story, the turns) are
 * taken out first: what is left around them (a transcript's tags) is split at their edges too, so no paragraph
 * holds or overlaps them, and a story's own paragraphs are never cut one by one.
 */
export function repeatedParagraphs(
  prompt: { system: string; messages: ReadonlyArray<{ content: string }> },
  shared: readonly string[],
): string[] {
  // Longest first, so that a turn quoted inside the story (say) is taken out with the story.
  const long = shared.filter((text) => text.length >= MIN_PART_LENGTH).sort((a, b) => b.length - a.length);
  return [prompt.system, ...prompt.messages.map((m) => m.content)]
    .flatMap((content) => long.reduce((rest, text) => rest.split(text).join(CUT), content).split(/\n\n|\0/))
    .filter((paragraph) => paragraph.length >= MIN_PART_LENGTH);
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

/**
 * {@link compactPrompt} for a match's model call: the story (`passage`) is referred to by its Passage row — the
 * question bank keeps it already, so storage grows with the work and not with the story — and the other shared texts
 * (the system prompt, the earlier turns) are parts to keep once in PromptPart.
 */
export function compactCallPrompt(
  json: string,
  texts: { passage?: { id: string; text: string } | null; shared: readonly string[] },
): { json: string; refs: PromptRef[]; parts: Map<string, string> } {
  const { passage } = texts;
  const shared = passage ? [passage.text, ...texts.shared] : texts.shared;
  const prompt = JSON.parse(json) as { system?: unknown; messages?: unknown };
  const paragraphs =
    typeof prompt.system === "string" && Array.isArray(prompt.messages)
      ? repeatedParagraphs(
          {
            system: prompt.system,
            messages: prompt.messages.flatMap((m: { content?: unknown }) =>
              typeof m?.content === "string" ? [{ content: m.content }] : [],
            ),
          },
          shared,
        )
      : [];
  const compact = compactPrompt(json, [...shared, ...paragraphs]);
  if (!passage) return compact;
  const storyId = promptPartId(passage.text);
  if (!compact.parts.delete(storyId)) return compact;
  return {
    ...compact,
    refs: compact.refs.map((ref) => (ref.part === storyId ? { ...ref, passage: passage.id } : ref)),
  };
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
  if (parts.size === 0) return;
  // Most parts of a call (the templates' paragraphs, the match's repeated ones) are there already: one read finds
  // them, and only the new ones are written. Another call may be writing the same new part in a transaction of its
  // own (on PostgreSQL, side by side): ON CONFLICT DO NOTHING then waits for it and keeps its row, where an insert
  // (or Prisma's upsert, which reads then inserts) would fail with a unique violation and abort this call's
  // transaction. SQLite (3.24+) reads the same statement; the column default gives `createdAt`.
  const stored = await db.promptPart.findMany({ where: { id: { in: [...parts.keys()] } }, select: { id: true } });
  const present = new Set(stored.map((row) => row.id));
  for (const [id, text] of parts) {
    if (present.has(id)) continue;
    await db.$executeRaw`INSERT INTO "PromptPart" ("id", "text") VALUES (${id}, ${text}) ON CONFLICT ("id") DO NOTHING`;
  }
}

/**
 * The texts of the parts `refs` name (part id → text): from PromptPart, or for a story from its Passage row, checked
 * against the part's hash (a story changed since the call would not give back the prompt sent: it counts as missing).
 */
export async function loadPromptParts(db: Db | Tx, refs: Iterable<PromptRef>): Promise<Map<string, string>> {
  const all = [...refs];
  const partIds = [...new Set(all.filter((ref) => !ref.passage).map((ref) => ref.part))];
  const passageIds = [...new Set(all.flatMap((ref) => (ref.passage ? [ref.passage] : [])))];
  const [parts, passages] = await Promise.all([
    partIds.length > 0
      ? db.promptPart.findMany({ where: { id: { in: partIds } }, select: { id: true, text: true } })
      : [],
    passageIds.length > 0
      ? db.passage.findMany({ where: { id: { in: passageIds } }, select: { id: true, text: true } })
      : [],
  ]);
  const texts = new Map(parts.map((row) => [row.id, row.text]));
  for (const row of passages) {
    for (const ref of all) if (ref.passage === row.id && isIdOf(ref.part, row.text)) texts.set(ref.part, row.text);
  }
  return texts;
}

/**
 * The `promptParts` column's form: a list of `[at, part]`, or `[at, part, passage]` for a story, the shortest JSON
 * for a list of references (the offsets first: they are the only numbers).
 */
export function storedPromptRefs(refs: readonly PromptRef[]): Array<[number, string] | [number, string, string]> {
  return refs.map((ref) => (ref.passage ? [ref.at, ref.part, ref.passage] : [ref.at, ref.part]));
}

/**
 * Reads a stored `promptParts` column: the list of `[at, part(, passage)]` written now, or of `{ part, at, passage? }`
 * objects written before (…_prompt_parts and the calls recorded until the short form); anything else is none.
 */
export function parsePromptRefs(value: unknown): PromptRef[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((ref: unknown): PromptRef[] => {
    if (Array.isArray(ref)) {
      const [at, part, passage] = ref as unknown[];
      if (!Number.isInteger(at) || typeof part !== "string") return [];
      if (ref.length === 2) return [{ part, at: at as number }];
      return ref.length === 3 && typeof passage === "string" ? [{ part, at: at as number, passage }] : [];
    }
    if (typeof ref !== "object" || ref === null) return [];
    const { part, at, passage } = ref as { part?: unknown; at?: unknown; passage?: unknown };
    if (typeof part !== "string" || !Number.isInteger(at)) return [];
    if (passage === undefined) return [{ part, at: at as number }];
    return typeof passage === "string" ? [{ part, at: at as number, passage }] : [];
  });
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
  const parts = await loadPromptParts(db, refs.flat());
  return calls.map((call, i) => {
    const promptText = restorePrompt(JSON.stringify(call.prompt), refs[i] ?? [], (id) => parts.get(id));
    return { ...call, prompt: JSON.parse(promptText) as unknown, promptText };
  });
}
