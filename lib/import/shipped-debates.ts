import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import type { Db } from "../db/client";
import { projectRoot } from "../env";
import { RECORDED_PLAY_DATASET } from "../matches/recorded";
import type { DebateImportInput } from "./debate-schema";
import { importDebates } from "./debates";
import { NYU_2023_LICENSE } from "./nyu-2023";

/**
 * The recorded debates Crux ships (data/nyu-2023, see data/README.md): the NYU 2023 release (Michael et al. 2023,
 * CC BY 4.0) converted to the debate import format, its stories kept once in a file of their own. The server seeds
 * the free-play subset ({@link isPlayDebate}) into the `nyu-2023` dataset on start, like the question bank, so
 * "Judge a real debate" has real debates to replay with no network and no API key.
 */

/** The dataset (an imported study) the shipped debates are seeded into: the name `crux import nyu-2023` uses too. */
export const SHIPPED_DEBATES_DATASET = RECORDED_PLAY_DATASET;
export const shippedDebatesDir = path.join(projectRoot, "data", "nyu-2023");
const DEBATES_FILE = "debates.jsonl.gz";
const STORIES_FILE = "stories.jsonl.gz";

/** A story of the shipped debates, named by the hash of its text. */
export const shippedStorySchema = z.strictObject({ ref: z.string().min(8), title: z.string(), text: z.string() });
export type ShippedStory = z.infer<typeof shippedStorySchema>;

/** A shipped debate: a debate in the import format whose `passage` names its story (`ref`) instead of holding it. */
export const shippedDebateSchema = z.looseObject({
  id: z.string(),
  tags: z.array(z.string()).default([]),
  condition: z.string().optional(),
  turns: z.array(z.looseObject({ round: z.number() })).default([]),
  passage: z.strictObject({ title: z.string().optional(), ref: z.string() }).optional(),
});
export type ShippedDebate = z.infer<typeof shippedDebateSchema>;

/** The name a story is kept under: the start of its text's SHA-256. */
export function storyRef(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Splits converted debates into shipped debates and their stories (each once). */
export function toShipped(debates: readonly DebateImportInput[]): {
  debates: ShippedDebate[];
  stories: ShippedStory[];
} {
  const stories = new Map<string, ShippedStory>();
  const shipped = debates.map((debate) => {
    if (!debate.passage) return shippedDebateSchema.parse(debate);
    const ref = storyRef(debate.passage.text);
    stories.set(ref, { ref, title: debate.passage.title ?? "", text: debate.passage.text });
    return shippedDebateSchema.parse({ ...debate, passage: { title: debate.passage.title, ref } });
  });
  return { debates: shipped, stories: [...stories.values()] };
}

/**
 * How many debates of each condition (human or AI, debate or consultancy) the free-play subset takes: enough for
 * many games, few enough to seed in a few seconds (a researcher imports the whole release with `crux import`).
 */
export const PLAY_DEBATES_PER_CONDITION = 8;

/** Debates the free-play subset may take: of the paper's analysis, two to four rounds long. */
export function isPlayDebate(debate: ShippedDebate): boolean {
  const rounds = Math.max(0, ...debate.turns.map((t) => t.round));
  return debate.tags.includes("in-paper") && rounds >= 2 && rounds <= 4;
}

function readJsonlGz<T>(file: string, schema: z.ZodType<T>): T[] {
  const text = gunzipSync(fs.readFileSync(path.join(shippedDebatesDir, file))).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`data/nyu-2023/${file} record ${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/**
 * The shipped debates, each with its story back in place (the import format): those `filter` takes, in file order,
 * at most one per question and `perCondition` per condition.
 */
export function loadShippedDebates(
  filter: (debate: ShippedDebate) => boolean = () => true,
  perCondition = Number.POSITIVE_INFINITY,
): object[] {
  const stories = new Map(readJsonlGz(STORIES_FILE, shippedStorySchema).map((s) => [s.ref, s]));
  const picked: object[] = [];
  const questions = new Set<string>();
  const conditions = new Map<string, number>();
  for (const debate of readJsonlGz(DEBATES_FILE, shippedDebateSchema)) {
    if (!filter(debate)) continue;
    const question = JSON.stringify((debate as { question?: unknown }).question);
    const condition = debate.condition ?? "";
    if (questions.has(question) || (conditions.get(condition) ?? 0) >= perCondition) continue;
    questions.add(question);
    conditions.set(condition, (conditions.get(condition) ?? 0) + 1);
    if (!debate.passage) {
      picked.push(debate);
      continue;
    }
    const story = stories.get(debate.passage.ref);
    if (!story) throw new Error(`data/nyu-2023: debate ${debate.id} names a missing story ${debate.passage.ref}`);
    picked.push({ ...debate, passage: { title: debate.passage.title, text: story.text } });
  }
  return picked;
}

/**
 * Seeds the free-play subset of the shipped debates into the `nyu-2023` dataset, unless every one of them is there
 * already (a second start, or a researcher's `crux import nyu-2023`): then it reads nothing but a count. Returns how
 * many debates it imported.
 */
export async function seedShippedDebates(db: Db, options: { log?: (line: string) => void } = {}): Promise<number> {
  const study = await db.study.findFirst({
    where: { name: SHIPPED_DEBATES_DATASET, status: "imported" },
    select: { id: true },
  });
  const debates = loadShippedDebates(isPlayDebate, PLAY_DEBATES_PER_CONDITION);
  if (study) {
    const present = await db.match.count({ where: { studyId: study.id, planKey: { in: debates.map(idOf) } } });
    if (present >= debates.length) return 0;
  }
  const started = performance.now();
  const result = await importDebates(db, {
    content: debates.map((d) => JSON.stringify(d)).join("\n"),
    dataset: SHIPPED_DEBATES_DATASET,
    license: NYU_2023_LICENSE,
    fileName: "data/nyu-2023",
  });
  if (result.errors.length > 0)
    throw new Error(
      `data/nyu-2023 does not import: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join("; ")}`,
    );
  options.log?.(`recorded debates: ${result.imported} in ${Math.round(performance.now() - started)} ms`);
  return result.imported;
}

function idOf(debate: object): string {
  return String((debate as { id: unknown }).id);
}
