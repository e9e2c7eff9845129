import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { projectRoot } from "../env";
import { countQuestions, getQuestionWithPassage, listQuestionsSharingPassages, pickRandomQuestion } from "./queries";
import { loadQuestionBank, QUALITY_PASSAGE_LICENSE, seedQuestionBank, TRUTHFULQA_LICENSE } from "./seed";

describe("the shipped question bank", () => {
  it("has the expected records", () => {
    const bank = loadQuestionBank();
    expect([bank.articles.length, bank.quality.length, bank.truthfulqa.length]).toEqual([96, 1315, 790]);
    const articleIds = new Set(bank.articles.map((a) => a.article_id));
    expect(bank.quality.every((q) => articleIds.has(q.article_id))).toBe(true);
  });

  it("stays small", () => {
    const files = ["quality/articles.jsonl.gz", "quality/questions.jsonl.gz", "truthfulqa/questions.jsonl.gz"];
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(projectRoot, "data", f)).size, 0);
    expect(bytes).toBeLessThan(3_000_000);
  });

  it("has two distinct options and a valid gold index for every question", () => {
    // The build script (scripts/build-question-bank.ts) cross-checks gold against the source data's distractor
    // when it writes these files; here the shipped files are checked on their own, as a fresh clone has them.
    const bank = loadQuestionBank();
    for (const q of [...bank.quality, ...bank.truthfulqa]) {
      expect(q.options, q.id).toHaveLength(2);
      expect(q.options[0]?.toLowerCase(), q.id).not.toBe(q.options[1]?.toLowerCase());
      expect([0, 1], q.id).toContain(q.gold);
    }
  });
});

describe("seedQuestionBank", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-seed-"));
  const url = `file:${path.join(dir, "test.db")}`;
  let db: Db;
  const log: string[] = [];

  beforeAll(async () => {
    await migrateDatabase({ url });
    db = createDb(url);
  });

  afterAll(async () => {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("seeds 96 passages, 1,315 QuALITY and 790 TruthfulQA questions", async () => {
    const result = await seedQuestionBank(db, { log: (line) => log.push(line) });
    expect(result).toEqual({ passages: 96, questions: 2105 });
    expect(await countQuestions(db)).toEqual({ quality: 1315, truthfulqa: 790 });
    expect(await db.passage.count()).toBe(96);
    expect(log.at(-1)).toMatch(/^seeded 96 passages and 2105 questions \(\d+ ms\)$/);
  });

  it("links every QuALITY question to its passage and records licences", async () => {
    expect(await db.question.count({ where: { source: "quality", passageId: null } })).toBe(0);
    expect(await db.question.count({ where: { source: "truthfulqa", passageId: { not: null } } })).toBe(0);
    expect(await db.passage.count({ where: { license: { not: QUALITY_PASSAGE_LICENSE } } })).toBe(0);
    expect(await db.question.count({ where: { source: "truthfulqa", license: { not: TRUTHFULQA_LICENSE } } })).toBe(0);
    const debated = await db.question.findUniqueOrThrow({
      where: { source_externalId: { source: "quality", externalId: "nyu23-51461-0001" } },
    });
    expect(debated.license).toMatch(/^CC BY 4\.0 — QuALITY \(Pang et al\. 2022\); NYU debate \(Michael et al\. 2023\)/);
  });

  it("inserts nothing the second time", async () => {
    expect(await seedQuestionBank(db)).toEqual({ passages: 0, questions: 0 });
    expect(await countQuestions(db)).toEqual({ quality: 1315, truthfulqa: 790 });
  });

  it("fills in rows that are missing", async () => {
    await db.question.deleteMany({ where: { source: "truthfulqa", externalId: { in: ["tqa-0000", "tqa-0789"] } } });
    expect(await seedQuestionBank(db)).toEqual({ passages: 0, questions: 2 });
  });

  it("picks a QuALITY question with its passage by default", async () => {
    const picked = await pickRandomQuestion(db, { random: () => 0.5 });
    expect(picked).not.toBeNull();
    const question = await getQuestionWithPassage(db, picked?.id ?? "");
    expect(question?.source).toBe("quality");
    expect(question?.options).toHaveLength(2);
    expect([0, 1]).toContain(question?.gold);
    expect(question?.passage?.text.length).toBeGreaterThan(1000);
    expect(question?.passage?.license).toBe(QUALITY_PASSAGE_LICENSE);
  });

  it("picks from the named set, covers both ends, and returns null for an empty set", async () => {
    const first = await pickRandomQuestion(db, { source: "truthfulqa", random: () => 0 });
    const last = await pickRandomQuestion(db, { source: "truthfulqa", random: () => 0.999_999 });
    expect(first?.id).not.toBe(last?.id);
    const question = await getQuestionWithPassage(db, last?.id ?? "");
    expect(question).toMatchObject({ source: "truthfulqa", passage: null });
    expect(question?.tags.some((t) => t.startsWith("category:"))).toBe(true);
    expect(await pickRandomQuestion(db, { source: "no-such-set" })).toBeNull();
    expect(await getQuestionWithPassage(db, "no-such-id")).toBeNull();
  });

  it("leaves out excluded questions however many, and every question on the same stories", async () => {
    const all = await db.question.findMany({
      where: { source: "quality" },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    const kept = all.at(-1)?.id;
    // More ids than a query may carry as parameters.
    const excludeIds = all.slice(0, -1).map((q) => q.id);
    for (const draw of [0, 0.5, 0.999_999])
      expect((await pickRandomQuestion(db, { random: () => draw, excludeIds }))?.id).toBe(kept);
    expect(await pickRandomQuestion(db, { excludeIds: all.map((q) => q.id) })).toBeNull();

    const one = await db.question.findFirstOrThrow({
      where: { source: "quality" },
      select: { id: true, passageId: true },
    });
    const onStory = await db.question.findMany({ where: { passageId: one.passageId }, select: { id: true } });
    expect(onStory.length).toBeGreaterThan(1);
    expect((await listQuestionsSharingPassages(db, [one.id])).sort()).toEqual(onStory.map((q) => q.id).sort());
    expect((await listQuestionsSharingPassages(db, excludeIds)).length).toBe(all.length);
  });

  it("stores gold indexes that match the source data", async () => {
    const bank = loadQuestionBank();
    for (const q of bank.quality.filter((_, i) => i % 97 === 0)) {
      const row = await db.question.findUniqueOrThrow({
        where: { source_externalId: { source: "quality", externalId: q.id } },
        include: { passage: { select: { externalId: true } } },
      });
      expect([row.options, row.gold, row.passage?.externalId]).toEqual([q.options, q.gold, q.article_id]);
    }
  });
});
