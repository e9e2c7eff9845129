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
 * Picks a question uniformly at random from a set (default "quality"), or null when the set is empty. Counts and
 * skips rather than loading the set, so it stays cheap on large sets; `random` (in [0, 1)) makes it reproducible.
 */
export async function pickRandomQuestion(
  db: Db,
  options: { source?: string; random?: () => number } = {},
): Promise<{ id: string } | null> {
  const where = { source: options.source ?? "quality" };
  const count = await db.question.count({ where });
  if (count === 0) return null;
  const draw = (options.random ?? Math.random)();
  // Clamp: a generator returning exactly 1 (or a bad one returning NaN) must not skip past the end.
  const skip = Number.isFinite(draw) ? Math.min(count - 1, Math.max(0, Math.floor(draw * count))) : 0;
  return db.question.findFirst({ where, orderBy: { id: "asc" }, skip, select: { id: true } });
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
