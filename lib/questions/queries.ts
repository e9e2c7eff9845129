import type { Db } from "../db/client";
import { storedStringsSchema } from "./schema";

// Read side of the question bank: picking a question for a match and loading it as plain data.

/** A question as the app uses it: Json columns parsed, passage (if any) inlined. */
export interface QuestionWithPassage {
  id: string;
  source: string;
  text: string;
  options: string[];
  /** 0-based index of the correct option: never send it to a judge before the verdict. */
  gold: number;
  tags: string[];
  passage: { id: string; title: string; text: string; license: string } | null;
  /** Licence / attribution of the question itself. */
  license: string;
}

/**
 * Picks a question uniformly at random from a set (default "quality") leaving out `excludeIds`, or null when none
 * is left; `random` (in [0, 1)) makes it reproducible. Without exclusions it counts and skips rather than loading
 * the set, so it stays cheap on large sets; with them it reads the set's ids (a list of ids may be longer than the
 * database takes as query parameters).
 */
export async function pickRandomQuestion(
  db: Db,
  options: { source?: string; random?: () => number; excludeIds?: string[] } = {},
): Promise<{ id: string } | null> {
  const where = { source: options.source ?? "quality" };
  const draw = (options.random ?? Math.random)();
  if (options.excludeIds?.length) {
    const excluded = new Set(options.excludeIds);
    const rows = await db.question.findMany({ where, orderBy: { id: "asc" }, select: { id: true } });
    const left = rows.filter((row) => !excluded.has(row.id));
    return left[drawIndex(draw, left.length)] ?? null;
  }
  const count = await db.question.count({ where });
  if (count === 0) return null;
  return db.question.findFirst({ where, orderBy: { id: "asc" }, skip: drawIndex(draw, count), select: { id: true } });
}

/** An index in [0, length) for a draw in [0, 1), clamped: a generator returning exactly 1 (or NaN) stays in range. */
function drawIndex(draw: number, length: number): number {
  return Number.isFinite(draw) ? Math.min(length - 1, Math.max(0, Math.floor(draw * length))) : 0;
}

/** How many ids one `in` list carries: well under the parameter limits of SQLite and PostgreSQL. */
const IN_CHUNK = 500;

/** `query` over `ids` a chunk at a time, results concatenated. */
async function inChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) results.push(...(await query(ids.slice(i, i + IN_CHUNK))));
  return results;
}

/**
 * The given questions and every other question on the same passages: answering any question on a story reveals
 * the story (after the verdict), and with it the answers to the others.
 */
export async function listQuestionsSharingPassages(db: Db, ids: string[]): Promise<string[]> {
  const given = await inChunks(ids, (chunk) =>
    db.question.findMany({ where: { id: { in: chunk } }, select: { passageId: true } }),
  );
  const passageIds = [...new Set(given.flatMap((q) => (q.passageId ? [q.passageId] : [])))];
  const siblings = await inChunks(passageIds, (chunk) =>
    db.question.findMany({ where: { passageId: { in: chunk } }, select: { id: true } }),
  );
  return [...new Set([...ids, ...siblings.map((q) => q.id)])];
}

/** Loads a question and its passage as plain data, or null if there is no question with that id. */
export async function getQuestionWithPassage(db: Db, id: string): Promise<QuestionWithPassage | null> {
  const row = await db.question.findUnique({
    where: { id },
    include: { passage: { select: { id: true, title: true, text: true, license: true } } },
  });
  if (!row) return null;
  const options = storedStringsSchema.safeParse(row.options);
  const tags = storedStringsSchema.safeParse(row.tags);
  // Rows are written only through the importer and the seed, so a bad shape is a bug worth stopping on.
  if (!options.success || !tags.success)
    throw new Error(`question ${id} has malformed options or tags in the database`);
  return {
    id: row.id,
    source: row.source,
    text: row.text,
    options: options.data,
    gold: row.gold,
    tags: tags.data,
    passage: row.passage,
    license: row.license,
  };
}

/** Number of questions in each set, e.g. `{ quality: 1315, truthfulqa: 790 }`. */
export async function countQuestions(db: Db): Promise<Record<string, number>> {
  const groups = await db.question.groupBy({ by: ["source"], _count: { _all: true }, orderBy: { source: "asc" } });
  return Object.fromEntries(groups.map((g) => [g.source, g._count._all]));
}
