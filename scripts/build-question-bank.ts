/**
 * Builds the question bank shipped in data/ from the full research data in ../shared/data (not part of a clone).
 *
 *   npx tsx scripts/build-question-bank.ts [source-dir]      (default: ../shared/data)
 *
 * Keeps only what the app uses, so the bank stays a few MB: articles (id, title, text) and two-option questions
 * (id, question, options, gold, tags). Output is deterministic (same input → byte-identical .gz files: gzip headers
 * written by Node carry no timestamp), so a rebuild shows up in git only when the data really changed.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { projectRoot } from "../lib/env";
import {
  type BankArticle,
  type BankPassageQuestion,
  type BankQuestion,
  bankArticleSchema,
  bankPassageQuestionSchema,
  bankQuestionSchema,
} from "../lib/questions/schema";

const sourceDir = path.resolve(process.argv[2] ?? path.join(projectRoot, "..", "shared", "data"));
const outDir = path.join(projectRoot, "data");

// Only the source fields we read; the rest (human arguments, debate file lists, mc1…) stays behind.
const qualityQuestionSource = z.object({
  id: z.string(),
  article_id: z.string(),
  question: z.string(),
  options: z.tuple([z.string(), z.string()]),
  gold: z.literal([0, 1]),
  distractor: z.string(),
  sources: z.array(z.string()),
  debate_stats: z.object({ mean_judge_p_correct: z.number().nullable() }).nullable(),
});

const truthfulQaSource = z.object({
  id: z.string(),
  type: z.string(),
  category: z.string(),
  question: z.string(),
  options: z.tuple([z.string(), z.string()]),
  gold: z.literal([0, 1]),
  distractor: z.string(),
});

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const lines = fs.readFileSync(path.join(sourceDir, file), "utf8").split("\n");
  return lines.flatMap((line, i) => {
    if (line.trim() === "") return [];
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error)}`);
    return [parsed.data];
  });
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Difficulty from the NYU judges' mean probability on the correct answer (after debate or consultancy). */
function difficulty(meanJudgePCorrect: number): string {
  if (meanJudgePCorrect < 0.5) return "difficulty:hard";
  if (meanJudgePCorrect < 0.9) return "difficulty:medium";
  return "difficulty:easy";
}

function checkOptions(id: string, options: [string, string], gold: 0 | 1, distractor: string): void {
  check(options[0].trim() !== "" && options[1].trim() !== "", `${id}: empty option`);
  check(options[0].toLowerCase() !== options[1].toLowerCase(), `${id}: the two options are the same`);
  // The source names the wrong answer separately: a cheap guard against an off-by-one gold index.
  check(options[1 - gold] === distractor, `${id}: gold ${gold} does not match the distractor`);
}

function buildQuality(): { articles: BankArticle[]; questions: BankPassageQuestion[] } {
  const articles = readJsonl("quality/articles.jsonl", bankArticleSchema);
  const articleIds = new Set(articles.map((a) => a.article_id));
  const questions = readJsonl("quality/questions.jsonl", qualityQuestionSource).map((q): BankPassageQuestion => {
    check(articleIds.has(q.article_id), `${q.id}: unknown article ${q.article_id}`);
    checkOptions(q.id, q.options, q.gold, q.distractor);
    const tags: string[] = [];
    if (q.debate_stats) tags.push("nyu-debated");
    if (q.sources.includes("single-turn-debate-2022")) tags.push("single-turn-2022");
    const p = q.debate_stats?.mean_judge_p_correct;
    if (p !== undefined && p !== null) tags.push(difficulty(p));
    const record: BankPassageQuestion = {
      id: q.id,
      article_id: q.article_id,
      question: q.question,
      options: q.options,
      gold: q.gold,
      tags,
    };
    bankPassageQuestionSchema.parse(record); // the seed will read it with this schema
    return record; // written as built: keeps the key order readable (id and article_id first)
  });
  return { articles, questions };
}

function buildTruthfulQa(): BankQuestion[] {
  return readJsonl("truthfulqa/questions.jsonl", truthfulQaSource).map((q) => {
    checkOptions(q.id, q.options, q.gold, q.distractor);
    return bankQuestionSchema.parse({
      id: q.id,
      question: q.question,
      options: q.options,
      gold: q.gold,
      tags: [`type:${q.type.toLowerCase()}`, `category:${q.category}`],
    });
  });
}

function writeJsonlGz(file: string, records: readonly object[]): void {
  const target = path.join(outDir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const body = records.map((r) => `${JSON.stringify(r)}\n`).join("");
  fs.writeFileSync(target, gzipSync(body, { level: 9 }));
  console.log(`${path.relative(projectRoot, target)}: ${records.length} records, ${fs.statSync(target).size} bytes`);
}

function copyNotice(from: string, to: string): void {
  const target = path.join(outDir, to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(sourceDir, from), target);
}

function main(): void {
  check(fs.existsSync(sourceDir), `source data not found at ${sourceDir}`);
  const quality = buildQuality();
  const truthfulQa = buildTruthfulQa();
  writeJsonlGz("quality/articles.jsonl.gz", quality.articles);
  writeJsonlGz("quality/questions.jsonl.gz", quality.questions);
  writeJsonlGz("truthfulqa/questions.jsonl.gz", truthfulQa);
  copyNotice("quality/LICENSE-CC-BY-4.0.txt", "quality/LICENSE-CC-BY-4.0.txt");
  copyNotice("quality/NOTICE-nyu-debate-pub-README.md", "quality/NOTICE-nyu-debate-pub-README.md");
  copyNotice("truthfulqa/LICENSE", "truthfulqa/LICENSE");
}

main();
