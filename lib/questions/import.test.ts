import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { DEFAULT_IMPORT_LICENSE, importQuestions, parseQuestionFile } from "./import";
import { getQuestionWithPassage } from "./queries";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

/** Error lines and messages as [line, message] pairs, for compact assertions. */
function errorList(content: string, format: "jsonl" | "csv") {
  return parseQuestionFile(content, format).errors.map((e) => [e.line, e.message] as const);
}

describe("parseQuestionFile: JSONL", () => {
  it("reads good rows with their line numbers, skipping blank lines", () => {
    const { rows, errors } = parseQuestionFile(fixture("good.jsonl"), "jsonl");
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.id])).toEqual([
      [1, "moon-1"],
      [2, "moon-2"],
      [4, expect.stringMatching(/^h-[0-9a-f]{16}$/)],
    ]);
    expect(rows[0]).toMatchObject({ options: ["An old radio beacon", "An abandoned greenhouse"], gold: 0 });
    expect(rows[0]?.tags).toEqual(["fiction", "demo"]);
    expect(rows[2]?.passage).toBeUndefined();
  });

  it("gives rows without an id the same id every time", () => {
    const first = parseQuestionFile(fixture("good.jsonl"), "jsonl").rows[2]?.id;
    const again = parseQuestionFile(`\n\n${fixture("good.jsonl")}`, "jsonl").rows[2]?.id;
    expect(first).toBeDefined();
    expect(again).toBe(first);
  });

  it("reports each kind of bad row with its line and reason", () => {
    const { rows, errors } = parseQuestionFile(fixture("bad.jsonl"), "jsonl");
    expect(rows.map((r) => [r.line, r.id])).toEqual([
      [1, "ok-1"],
      [11, "ok-2"],
    ]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 9, 10, 12]);
    const messages = Object.fromEntries(errors.map((e) => [e.line, e.message]));
    expect(messages[2]).toMatch(/^invalid JSON: /);
    expect(messages[3]).toBe("question is missing");
    expect(messages[4]).toBe("gold must be 0 or 1, the index of the correct option (got 2)");
    expect(messages[5]).toBe("options must have exactly 2 entries: a question has exactly two options (found 3)");
    expect(messages[6]).toBe("the two options must be different");
    expect(messages[7]).toMatch(/^unknown field "answer"/);
    expect(messages[9]).toBe('duplicate id "ok-1" (first used on line 1)');
    expect(messages[10]).toBe("a title was given without a passage");
    expect(messages[12]).toBe("each line must be a JSON object (one question)");
  });

  it("lists every problem of a row in one message", () => {
    expect(errorList('{"question":"","options":["a",""],"gold":"1"}', "jsonl")).toEqual([
      [1, 'question is empty; options[1] is empty; gold must be 0 or 1, the index of the correct option (got "1")'],
    ]);
  });

  it("reports a repeated row without an id as a duplicate of the first", () => {
    const row = '{"question":"Q?","options":["A","B"],"gold":0}';
    expect(errorList(`${row}\n${row}\r\n`, "jsonl")).toEqual([
      [2, "duplicate of the row on line 1 (same question, options and passage)"],
    ]);
  });
});

describe("parseQuestionFile: CSV", () => {
  it("reads good rows, with multi-line quoted fields, A/B gold and |-separated tags", () => {
    const { rows, errors } = parseQuestionFile(fixture("good.csv"), "csv");
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.id, r.gold])).toEqual([
      [2, "csv-1", 0],
      [4, "csv-2", 0],
      [6, "csv-3", 1],
    ]);
    expect(rows[0]?.passage).toBe(
      "Ada had kept the light for ten years.\nWhen her brother's boat failed to return, she rowed out at dawn to find him.",
    );
    expect(rows[0]).toMatchObject({ title: "The Lighthouse", tags: ["fiction", "demo"] });
    expect(rows[1]?.tags).toBeUndefined();
    expect(rows[2]).toMatchObject({
      question: "Which planet is closest to the Sun, on average?",
      tags: ["astronomy", "demo"],
    });
  });

  it("counts lines the same with CRLF line endings and a byte-order mark", () => {
    const crlf = `\uFEFF${fixture("good.csv").replaceAll("\n", "\r\n")}`;
    const { rows, errors } = parseQuestionFile(crlf, "csv");
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(rows[0]?.passage).toContain("years.\nWhen");
  });

  it("reports bad rows at the line they start on, also after multi-line fields", () => {
    const { rows, errors } = parseQuestionFile(fixture("bad.csv"), "csv");
    expect(rows.map((r) => [r.line, r.id])).toEqual([
      [2, "r1"],
      [6, "r3"],
      [12, "r6"],
    ]);
    expect(rows[1]?.question).toBe('A question that "quotes" and\nspans two lines?');
    expect(errors).toEqual([
      { line: 3, message: 'gold must be 0, 1, A or B (got "C")' },
      { line: 8, message: "option_b is missing" },
      { line: 9, message: "has 9 fields but the header has 8 (quote fields that contain commas)" },
      { line: 11, message: 'duplicate id "r1" (first used on line 2)' },
    ]);
  });

  it("accepts the columns in any order and leaves optional ones out", () => {
    const { rows, errors } = parseQuestionFile("gold,option_b,option_a,question\nb,No,Yes,Is it?\n", "csv");
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ question: "Is it?", options: ["Yes", "No"], gold: 1, line: 2 });
  });

  it("rejects a bad header as a whole", () => {
    expect(errorList("question,option_a,answer,question\nQ,A,B,C\n", "csv")).toEqual([
      [
        1,
        'bad header: unknown column "answer" (allowed: id, question, option_a, option_b, gold, passage, title, tags); ' +
          "repeated column question; missing columns option_b, gold",
      ],
    ]);
    expect(errorList("\n\n", "csv")).toEqual([[1, "the file is empty (a header row is required)"]]);
  });

  it("stops at a CSV syntax error, reporting the line the broken row starts on", () => {
    const content = 'question,option_a,option_b,gold\nQ1?,A,B,0\n"Q2?\nstill open,A,B,1\nQ3?,A,B,0\n';
    const { rows, errors } = parseQuestionFile(content, "csv");
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(errors).toEqual([
      {
        line: 3,
        message:
          "CSV syntax error: a quoted field starting on this row is never closed; the rest of the file was not read",
      },
    ]);
    expect(errorList('question,option_a,option_b,gold\nQ1?,"A"B,B,0\n', "csv")[0]?.[0]).toBe(2);
  });
});

describe("importQuestions", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-import-"));
  const url = `file:${path.join(dir, "test.db")}`;
  let db: Db;

  beforeAll(async () => {
    await migrateDatabase({ url });
    db = createDb(url);
  });

  afterAll(async () => {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const questionsIn = (source: string) => db.question.count({ where: { source } });

  it("imports nothing when a row is bad", async () => {
    const result = await importQuestions(db, { content: fixture("bad.jsonl"), format: "jsonl", set: "bad-all" });
    expect(result).toMatchObject({ valid: 2, imported: 0, skipped: 0, passages: 0 });
    expect(result.errors).toHaveLength(9);
    expect(await questionsIn("bad-all")).toBe(0);
  });

  it("imports the good rows with allowPartial", async () => {
    const result = await importQuestions(db, {
      content: fixture("bad.csv"),
      format: "csv",
      set: "bad-partial",
      allowPartial: true,
    });
    expect(result).toMatchObject({ valid: 3, imported: 3, skipped: 0 });
    expect(result.errors.map((e) => e.line)).toEqual([3, 8, 9, 11]);
    const stored = await db.question.findMany({ where: { source: "bad-partial" }, orderBy: { externalId: "asc" } });
    expect(stored.map((q) => [q.externalId, q.gold])).toEqual([
      ["r1", 0],
      ["r3", 1],
      ["r6", 1],
    ]);
  });

  it("stores questions and shared passages, and re-importing adds nothing", async () => {
    const content = fixture("good.jsonl");
    const first = await importQuestions(db, { content, format: "jsonl", set: "moon" });
    expect(first).toEqual({ valid: 3, imported: 3, skipped: 0, passages: 1, errors: [] });

    const again = await importQuestions(db, { content, format: "jsonl", set: "moon" });
    expect(again).toEqual({ valid: 3, imported: 0, skipped: 3, passages: 0, errors: [] });
    expect(await questionsIn("moon")).toBe(3);
    expect(await db.passage.count({ where: { source: "moon" } })).toBe(1);

    const row = await db.question.findUniqueOrThrow({
      where: { source_externalId: { source: "moon", externalId: "moon-1" } },
    });
    const question = await getQuestionWithPassage(db, row.id);
    expect(question).toMatchObject({
      source: "moon",
      text: "What does Mara find under the regolith?",
      options: ["An old radio beacon", "An abandoned greenhouse"],
      gold: 0,
      tags: ["fiction", "demo"],
      license: DEFAULT_IMPORT_LICENSE,
      passage: { title: "The Beacon", license: DEFAULT_IMPORT_LICENSE },
    });
    expect(question?.passage?.text).toMatch(/^The beacon had been buried/);
  });

  it("adds only the new rows of a grown file and reuses the set's passages", async () => {
    const grown = `${fixture("good.jsonl")}${JSON.stringify({
      id: "moon-3",
      question: "Who recognised the call sign?",
      options: ["Nobody on the base", "The base commander"],
      gold: 0,
      passage:
        "The beacon had been buried under the regolith for forty years. When Mara's shovel struck its casing, the old radio still hummed, repeating a call sign nobody on the base recognised.",
      title: "The Beacon",
    })}\n`;
    const result = await importQuestions(db, { content: grown, format: "jsonl", set: "moon" });
    expect(result).toMatchObject({ imported: 1, skipped: 3, passages: 0 });
    const passageIds = await db.question.findMany({
      where: { source: "moon", passageId: { not: null } },
      distinct: ["passageId"],
    });
    expect(passageIds).toHaveLength(1);
  });

  it("keeps sets apart and records a given licence", async () => {
    const result = await importQuestions(db, {
      content: fixture("good.csv"),
      format: "csv",
      set: "lighthouse",
      license: "CC BY 4.0 — Example Lab",
    });
    expect(result).toMatchObject({ imported: 3, passages: 1 });
    const licences = await db.question.findMany({
      where: { source: "lighthouse" },
      select: { license: true },
      distinct: ["license"],
    });
    expect(licences).toEqual([{ license: "CC BY 4.0 — Example Lab" }]);
    const other = await importQuestions(db, { content: fixture("good.csv"), format: "csv", set: "lighthouse-2" });
    expect(other).toMatchObject({ imported: 3, skipped: 0 });
  });

  it("refuses the built-in sets and malformed set names", async () => {
    const content = fixture("good.jsonl");
    await expect(importQuestions(db, { content, format: "jsonl", set: "quality" })).rejects.toThrow(/reserved/);
    await expect(importQuestions(db, { content, format: "jsonl", set: "truthfulqa" })).rejects.toThrow(/reserved/);
    await expect(importQuestions(db, { content, format: "jsonl", set: "My Set" })).rejects.toThrow(/lowercase/);
  });
});
