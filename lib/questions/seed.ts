import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { z } from "zod";
import type { Db } from "../db/client";
import { projectRoot } from "../env";
import {
  type BankArticle,
  type BankPassageQuestion,
  type BankQuestion,
  bankArticleSchema,
  bankPassageQuestionSchema,
  bankQuestionSchema,
} from "./schema";

// Seeds the question bank shipped in data/ (see data/README.md). Idempotent and cheap to re-run, so the server can
// call it on every start (CRUX_SEED_ON_START).

/** Where the shipped bank lives (inside the project: a clone has no ../shared). */
export const bankDir = path.join(projectRoot, "data");

export const QUALITY_PASSAGE_LICENSE = "CC BY 4.0 — QuALITY (Pang et al. 2022); see data/README.md";
export const TRUTHFULQA_LICENSE = "Apache-2.0 — TruthfulQA (Lin et al. 2022); see data/README.md";

/** Credits the papers a QuALITY question passed through (its tags say which, see data/README.md). */
export function qualityQuestionLicense(tags: readonly string[]): string {
  const credits = ["QuALITY (Pang et al. 2022)"];
  if (tags.includes("nyu-debated")) credits.push("NYU debate (Michael et al. 2023)");
  if (tags.includes("single-turn-2022")) credits.push("single-turn debate (Parrish et al. 2022)");
  return `CC BY 4.0 — ${credits.join("; ")}; see data/README.md`;
}

/** The bank as shipped: QuALITY articles and questions, TruthfulQA questions. */
export interface QuestionBank {
  articles: BankArticle[];
  quality: BankPassageQuestion[];
  truthfulqa: BankQuestion[];
}

function readJsonlGz<T>(file: string, schema: z.ZodType<T>): T[] {
  const text = gunzipSync(fs.readFileSync(path.join(bankDir, file))).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`data/${file} record ${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Reads and validates the shipped files (about 20 ms). */
export function loadQuestionBank(): QuestionBank {
  return {
    articles: readJsonlGz("quality/articles.jsonl.gz", bankArticleSchema),
    quality: readJsonlGz("quality/questions.jsonl.gz", bankPassageQuestionSchema),
    truthfulqa: readJsonlGz("truthfulqa/questions.jsonl.gz", bankQuestionSchema),
  };
}

/**
 * Inserts the shipped question bank (96 QuALITY passages, 1,315 QuALITY questions linked to them, 790 TruthfulQA
 * questions) in one transaction and returns how many passages and questions it inserted. Rows already present
 * (same source and external id) are left alone, so a second call inserts nothing.
 */
export async function seedQuestionBank(
  db: Db,
  options: { log?: (line: string) => void } = {},
): Promise<{ passages: number; questions: number }> {
  const started = performance.now();
  const bank = loadQuestionBank();

  const counts = await db.$transaction(
    async (tx) => {
      const passages = await tx.passage.findMany({
        where: { source: "quality" },
        select: { id: true, externalId: true },
      });
      const passageIds = new Map(passages.map((p) => [p.externalId, p.id]));
      const created = await tx.passage.createManyAndReturn({
        data: bank.articles
          .filter((a) => !passageIds.has(a.article_id))
          .map((a) => ({
            source: "quality",
            externalId: a.article_id,
            title: a.title,
            text: a.text,
            license: QUALITY_PASSAGE_LICENSE,
          })),
        select: { id: true, externalId: true },
      });
      for (const p of created) passageIds.set(p.externalId, p.id);

      const present = await tx.question.findMany({
        where: { source: { in: ["quality", "truthfulqa"] } },
        select: { source: true, externalId: true },
      });
      const presentKeys = new Set(present.map((q) => `${q.source}/${q.externalId}`));
      const questions = [
        ...bank.quality
          .filter((q) => !presentKeys.has(`quality/${q.id}`))
          .map((q) => {
            const passageId = passageIds.get(q.article_id);
            if (passageId === undefined) throw new Error(`QuALITY question ${q.id}: no article ${q.article_id}`);
            const { id, question, options, gold, tags } = q;
            return {
              source: "quality",
              externalId: id,
              passageId,
              text: question,
              options,
              gold,
              tags,
              license: qualityQuestionLicense(tags),
            };
          }),
        ...bank.truthfulqa
          .filter((q) => !presentKeys.has(`truthfulqa/${q.id}`))
          .map(({ id, question, options, gold, tags }) => ({
            source: "truthfulqa",
            externalId: id,
            text: question,
            options,
            gold,
            tags,
            license: TRUTHFULQA_LICENSE,
          })),
      ];
      const inserted = await tx.question.createMany({ data: questions });
      return { passages: created.length, questions: inserted.count };
    },
    // A cold first seed on a slow disk can pass the 5 s default meant for request-time transactions.
    { timeout: 120_000, maxWait: 30_000 },
  );

  const ms = Math.round(performance.now() - started);
  options.log?.(
    counts.passages + counts.questions === 0
      ? `question bank already seeded (${ms} ms)`
      : `seeded ${counts.passages} passages and ${counts.questions} questions (${ms} ms)`,
  );
  return counts;
}
