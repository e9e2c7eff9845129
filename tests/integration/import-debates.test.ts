import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { matchConfigSchema } from "../../lib/debate/config";
import { judgeScore } from "../../lib/debate/scoring";
import { exportStudy } from "../../lib/export/export-study";
import { importDebates, judgeUserName } from "../../lib/import/debates";
import { frozenStudySchema, studyConfigSchema } from "../../lib/studies/config";
import { configHash } from "../../lib/studies/plan";
import { runCrux } from "../support/cli";
import { tempDatabase } from "../support/temp-db";

/**
 * `crux import debates` and `crux import nyu-2023`: external debates land in a dataset (a Study with status
 * "imported") whose matches look like a study's — valid configs, a hashed version, judges as users, scored
 * verdicts, verified quotes — idempotently, all-or-nothing unless partial imports are allowed.
 */

const temp = tempDatabase("import-debates");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-import-debates-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const fixture = path.resolve(import.meta.dirname, "..", "fixtures", "nyu-2023");

const PASSAGE = "Ada had kept the light for ten years. Ben only visited in summer, when the boats came back.";

function debate(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    question: { text: "Who keeps the light?", options: ["Ada", "Ben"], gold: 0 },
    passage: { title: "The Lighthouse", text: PASSAGE },
    protocol: "debate",
    debaters: [
      { seat: "A", option: 0, model: "openai:gpt-4o" },
      { seat: "B", option: 1, model: "openai:gpt-4o" },
    ],
    turns: [
      {
        round: 1,
        speaker: "A",
        text: "<quote>Ada had kept the light for ten years</quote>.",
        at: "2024-05-01T10:00:00Z",
      },
      { round: 1, speaker: "B", text: "<quote>Ben kept the light</quote>, clearly.", at: "2024-05-01T10:00:05Z" },
    ],
    judge: { id: "alice", kind: "human" },
    judgeSteps: [
      { round: 0, probabilities: [0.5, 0.5], action: "continue", at: "2024-05-01T09:59:00Z" },
      { round: 1, probabilities: [0.8, 0.2], action: "end", message: "A quoted the story." },
    ],
    verdict: { probabilities: [0.8, 0.2], explanation: "A quoted the story.", at: "2024-05-01T10:01:00Z" },
    tags: ["pilot"],
    meta: { source: "test" },
    ...overrides,
  };
}

const consultancy = debate("c1", {
  protocol: "consultancy",
  debaters: [{ seat: "A", option: 1 }],
  turns: [{ round: 1, speaker: "A", text: "Ben is the keeper: <quote>Ben only visited in summer</quote>." }],
  judgeSteps: [{ round: 1, probabilities: [0.3, 0.7], action: "end" }],
  verdict: { probabilities: [0.3, 0.7] },
  judge: { id: "bob", kind: "human" },
});
const aiJudged = debate("a1", {
  protocol: "naive",
  debaters: [],
  turns: [],
  judgeSteps: [],
  judge: { kind: "ai", model: "openai:gpt-4o-mini" },
  verdict: { probabilities: [0.4, 0.6] },
  condition: "naive-ai",
});
const jsonl = (...rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;

describe("importDebates", () => {
  it("loads debates into an imported study with a valid config, a hashed version and scored verdicts", async () => {
    const db = temp.db();
    const result = await importDebates(db, {
      content: jsonl(debate("d1"), consultancy, aiJudged),
      dataset: "pilot-set",
    });
    expect(result).toMatchObject({
      valid: 3,
      imported: 3,
      skipped: 0,
      errors: [],
      questions: 1,
      passages: 1,
      judges: 2,
    });

    const study = await db.study.findUniqueOrThrow({
      where: { id: result.study?.studyId ?? "" },
      include: { versions: true },
    });
    expect(study).toMatchObject({ name: "pilot-set", status: "imported" });
    const config = studyConfigSchema.parse(study.config);
    expect(config.conditions.map((c) => [c.name, c.protocol]).sort()).toEqual([
      ["consultancy", "consultancy"],
      ["debate", "debate"],
      ["naive-ai", "naive"],
    ]);
    expect(config.questions.source).toBe("pilot-set");
    const [version] = study.versions;
    expect(study.versions).toHaveLength(1);
    expect(version?.configHash).toBe(configHash(frozenStudySchema.parse(version?.config)));
    expect(study.currentVersionId).toBe(version?.id);

    const matches = await db.match.findMany({
      where: { studyId: study.id },
      include: { turns: true, judgeSteps: true, verdict: true, judge: true, question: true, events: true },
      orderBy: { planKey: "asc" },
    });
    expect(matches.map((m) => m.planKey)).toEqual(["a1", "c1", "d1"]);
    for (const m of matches) {
      expect(m).toMatchObject({ status: "complete", studyVersionId: version?.id, configHash: version?.configHash });
      expect(matchConfigSchema.safeParse(m.config).success).toBe(true);
      expect(m.question.source).toBe("pilot-set");
    }
    const [ai, consulted, debated] = matches;
    expect(ai).toMatchObject({
      condition: "naive-ai",
      protocol: "naive",
      judgeId: null,
      judgeModel: "openai:gpt-4o-mini",
    });
    expect(consulted?.debaters).toEqual([{ seat: "A", option: 1, model: "human", honest: false }]);
    expect(consulted?.verdict).toMatchObject({
      chosen: 1,
      correct: false,
      score: judgeScore([0.3, 0.7], 0, { rule: "log", roundsUsed: 1, roundCost: 0 }),
    });

    // The debate: judge as a participant user, turns with quotes checked against the passage, times kept.
    expect(debated?.judge).toMatchObject({
      name: judgeUserName("pilot-set", "alice"),
      role: "participant",
      email: null,
    });
    const turnA = debated?.turns.find((t) => t.speaker === "A");
    const turnB = debated?.turns.find((t) => t.speaker === "B");
    expect(turnA).toMatchObject({ option: 0, model: "openai:gpt-4o", createdAt: new Date("2024-05-01T10:00:00Z") });
    expect(turnA?.quotes).toMatchObject([{ text: "Ada had kept the light for ten years", verified: true }]);
    expect(turnB?.quotes).toMatchObject([{ text: "Ben kept the light", verified: false }]);
    expect(debated?.judgeSteps.map((s) => [s.round, s.action])).toEqual([
      [0, "continue"],
      [1, "end"],
    ]);
    expect(debated?.verdict).toMatchObject({
      chosen: 0,
      correct: true,
      rounds: 1,
      score: 1 + Math.log2(0.8), // the log rule: 1 + log₂ p(correct)
      explanation: "A quoted the story.",
      timeTakenMs: 120_000,
    });
    expect(debated?.startedAt).toEqual(new Date("2024-05-01T09:59:00Z"));
    expect(debated?.events[0]).toMatchObject({ type: "match.imported" });
    expect(debated?.events[0]?.payload).toMatchObject({
      dataset: "pilot-set",
      debateId: "d1",
      tags: ["pilot"],
      meta: { source: "test" },
    });
    // Tags are queryable rows too (results, exports and `crux stats --tag` filter on them).
    expect(await db.matchTag.findMany({ where: { matchId: debated?.id }, select: { tag: true } })).toEqual([
      { tag: "pilot" },
    ]);
  });

  it("is idempotent: the same file again adds nothing; a grown file adds only the new debates", async () => {
    const db = temp.db();
    const before = {
      users: await db.user.count(),
      versions: await db.studyVersion.count(),
      questions: await db.question.count(),
    };
    const again = await importDebates(db, {
      content: jsonl(debate("d1"), consultancy, aiJudged),
      dataset: "pilot-set",
    });
    expect(again).toMatchObject({ valid: 3, imported: 0, skipped: 3, study: null });
    expect({
      users: await db.user.count(),
      versions: await db.studyVersion.count(),
      questions: await db.question.count(),
    }).toEqual(before);

    const grown = await importDebates(db, {
      content: jsonl(debate("d1"), debate("d2", { judge: { id: "carol", kind: "human" } })),
      dataset: "pilot-set",
    });
    // Same conditions and questions: the study keeps its version.
    expect(grown).toMatchObject({ imported: 1, skipped: 1, questions: 0, judges: 1, study: { version: 1 } });
    // A new condition changes the design: a new version for the new matches only.
    const more = await importDebates(db, {
      content: jsonl(debate("i1", { protocol: "interactive" })),
      dataset: "pilot-set",
    });
    expect(more).toMatchObject({ imported: 1, study: { version: 2 } });
    expect(await db.match.count({ where: { planKey: "d1" } })).toBe(1);
  });

  it("imports nothing when a line is bad, unless partial imports are allowed", async () => {
    const db = temp.db();
    const content = jsonl(
      debate("p1"),
      { ...debate("p2"), protocol: "chess" },
      debate("p3", { question: { text: "Who keeps the light?", options: ["Ada", "Ben"], gold: 1 } }),
    );
    const strict = await importDebates(db, { content, dataset: "partial-set" });
    expect(strict).toMatchObject({ imported: 0, study: null });
    expect(strict.errors.map((e) => e.line)).toEqual([2]);
    expect(await db.study.count({ where: { name: "partial-set" } })).toBe(0);

    const partial = await importDebates(db, { content, dataset: "partial-set", allowPartial: true });
    // p3 reuses p1's question id (same text, options, passage) with another gold: a conflict, reported by line.
    expect(partial).toMatchObject({ valid: 2, imported: 1 });
    expect(partial.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(partial.errors[1]?.message).toMatch(/differs from the question of line 1/);
  });

  it("exports an imported dataset like a study", async () => {
    const db = temp.db();
    const study = await db.study.findFirstOrThrow({ where: { name: "pilot-set" } });
    let csv = "";
    for await (const chunk of exportStudy(db, study.id, { table: "verdicts", format: "csv" })) csv += chunk;
    const rows = parseCsv(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.plan_key).sort()).toEqual(["a1", "c1", "d1", "d2", "i1"]);
    expect(rows.find((r) => r.plan_key === "d1")).toMatchObject({
      condition: "debate",
      tags: "pilot",
      judge_kind: "human",
    });
  });
});

describe("crux import debates / nyu-2023", () => {
  const databaseUrl = temp.url;

  it("reports bad lines with their numbers and exits 1", async () => {
    const file = path.join(dir, "bad.jsonl");
    fs.writeFileSync(file, jsonl(debate("x1"), { ...debate("x2"), verdict: { probabilities: [0.7, 0.7] } }));
    const result = await runCrux(["import", "debates", file, "--dataset", "cli-set"], databaseUrl);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2: verdict\.probabilities must sum to 1/);
    expect(result.stdout).toMatch(/1 bad line, 1 valid debate: nothing imported/);
  });

  it("imports a file and says how many debates were imported and skipped", async () => {
    const file = path.join(dir, "good.jsonl");
    fs.writeFileSync(file, jsonl(debate("y1"), consultancy));
    const first = await runCrux(["import", "debates", file, "--dataset", "cli-set", "--json"], databaseUrl);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      ok: true,
      dataset: "cli-set",
      imported: 2,
      skipped: 0,
      invalid: 0,
    });
    const second = await runCrux(["import", "debates", file, "--dataset", "cli-set"], databaseUrl);
    expect(second.stdout).toMatch(/Imported 0 debates into dataset "cli-set".*\(2 debates already present, skipped\)/);
  });

  it("converts and imports the NYU 2023 fixture in one go, idempotently", async () => {
    const saved = path.join(dir, "nyu.jsonl");
    const result = await runCrux(
      ["import", "nyu-2023", fixture, "--dataset", "nyu-fixture", "--save-jsonl", saved, "--json"],
      databaseUrl,
    );
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({
      ok: true,
      imported: 4,
      skipped: 0,
      invalid: 0,
      conversion: { rooms: 6, converted: 4 },
    });
    expect(body.conversion.skipped.map((s: { reason: string }) => s.reason).sort()).toEqual([
      "no live judge",
      "not finished (status InProgress)",
    ]);
    expect(fs.readFileSync(saved, "utf8").trim().split("\n")).toHaveLength(4);

    const db = temp.db();
    const study = await db.study.findFirstOrThrow({ where: { name: "nyu-fixture" } });
    const judges = await db.match.findMany({
      where: { studyId: study.id },
      select: { judge: { select: { name: true } } },
    });
    expect(judges.map((j) => j.judge?.name).sort()).toEqual([
      "nyu-fixture:Fizzlewick Fandango",
      "nyu-fixture:Lulu Lemonade",
      "nyu-fixture:Nibbles Nuggetson",
      "nyu-fixture:Razzle Rumplesnitz",
    ]);
    const question = await db.question.findFirstOrThrow({ where: { source: "nyu-fixture" } });
    expect(question.license).toMatch(/CC BY 4\.0/);

    const again = await runCrux(
      ["import", "nyu-2023", fixture, "--dataset", "nyu-fixture", "--offline-judges", "--json"],
      databaseUrl,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 2, skipped: 4, conversion: { converted: 6 } });
  });
});
