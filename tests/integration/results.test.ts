import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { wilsonInterval } from "../../lib/analysis";
import { clearResultsCache, getHeadlineComparison, getRatingIntervals } from "../../lib/analysis/headline";
import { bradleyTerryIntervals } from "../../lib/analysis/ratings";
import { getStudyResults, listStudyTags, resolveScope } from "../../lib/analysis/results";
import { judgeLabel, ratingOutcomes } from "../../lib/analysis/results-rankings";
import { NO_FILTERS, type ResultsFilters, resultsFiltersSchema } from "../../lib/analysis/results-schema";
import { readVerdictAggregates, verdictAggregateStats } from "../../lib/analysis/verdict-aggregates";
import { createDb, type Db } from "../../lib/db/client";
import { PrismaClient } from "../../lib/db/generated/client";
import { recordStudyVerdict } from "../../lib/matches/study-verdicts";
import { onPostgres } from "../support/postgres";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * The results of a small study written straight into the database, with every number computed by hand: accuracy
 * per condition, exclusions (practice, abandoned, errored, a removed participant), calibration, consultancy honest
 * vs dishonest, rounds, questions, the judge leaderboard, debater win rates and ratings, each filter, and the
 * headline comparison with its cache.
 */

const { db, url } = tempDatabase("results");
const SOURCE = "results-fixture";
const X = "offline:extractive";
const Y = "openai:gpt-4o-mini";
const AI = "offline:heuristic";

let studyId = "";
let versionId = "";
const judges = {} as Record<"j1" | "j2" | "j3" | "removed", string>;
let questions: Array<{ id: string; gold: number; tags: string[] }> = [];

interface Row {
  condition: "debate" | "consultancy" | "naive";
  judge: keyof typeof judges | "ai";
  question: number;
  /** Complete matches get a verdict: right or wrong with this confidence in the chosen option. */
  right?: boolean;
  confidence?: number;
  rounds?: number;
  timeMs?: number;
  day?: string;
  status?: "complete" | "abandoned" | "errored" | "running";
  practice?: boolean;
  /** Debate: which model argues the correct option (the other argues the wrong one). Consultancy: honest? */
  honestModel?: string;
  honest?: boolean;
}

const PROTOCOL = { debate: "debate", consultancy: "consultancy", naive: "naive" } as const;

async function addMatch(row: Row): Promise<void> {
  const q = questions[row.question];
  if (!q) throw new Error(`no question ${row.question}`);
  const gold = q.gold;
  const debaters =
    row.condition === "debate"
      ? [
          { seat: "A", option: gold, model: row.honestModel ?? X },
          { seat: "B", option: 1 - gold, model: row.honestModel === Y ? X : Y },
        ]
      : row.condition === "consultancy"
        ? [{ seat: "A", option: row.honest ? gold : 1 - gold, model: X, honest: row.honest ?? true }]
        : [];
  const status = row.status ?? "complete";
  const match = await db().match.create({
    data: {
      questionId: q.id,
      protocol: PROTOCOL[row.condition],
      config: {},
      debaters,
      judgeId: row.judge === "ai" ? null : judges[row.judge],
      judgeModel: row.judge === "ai" ? AI : null,
      status,
      studyId,
      studyVersionId: versionId,
      condition: row.condition,
      configHash: "fixture",
      practice: row.practice ?? false,
      endedAt: status === "running" ? null : new Date(`${row.day ?? "2025-03-10"}T12:00:00Z`),
    },
  });
  if (status !== "complete") return;
  const confidence = row.confidence ?? 0.8;
  const chosen = row.right ? gold : 1 - gold;
  const probabilities = chosen === 0 ? [confidence, 1 - confidence] : [1 - confidence, confidence];
  await db().verdict.create({
    data: {
      matchId: match.id,
      probabilities,
      chosen,
      correct: Boolean(row.right),
      score: Math.log(Math.max(probabilities[gold] ?? 0, 0.01)),
      rounds: row.rounds ?? 1,
      timeTakenMs: row.timeMs ?? 10_000,
      createdAt: new Date(`${row.day ?? "2025-03-10"}T12:00:00Z`),
    },
  });
  await recordStudyVerdict(db(), match.id);
}

// Debate: 4 analysed (3 right), plus practice, abandoned, errored, a removed participant's match, one running.
// Consultancy: honest consultant twice (both right), dishonest twice (one fooled). Naive: 1 of 3 right (one AI).
const ROWS: Row[] = [
  { condition: "debate", judge: "j1", question: 0, right: true, confidence: 0.8, rounds: 1, timeMs: 1000 },
  {
    condition: "debate",
    judge: "j2",
    question: 1,
    right: true,
    confidence: 0.6,
    rounds: 2,
    timeMs: 2000,
    honestModel: Y,
  },
  { condition: "debate", judge: "j1", question: 2, right: true, confidence: 0.9, rounds: 2, timeMs: 3000 },
  {
    condition: "debate",
    judge: "j3",
    question: 0,
    right: false,
    confidence: 0.7,
    rounds: 3,
    timeMs: 4000,
    honestModel: Y,
    day: "2025-04-02",
  },
  { condition: "debate", judge: "j1", question: 3, right: true, practice: true },
  { condition: "debate", judge: "j2", question: 3, status: "abandoned" },
  { condition: "debate", judge: "ai", question: 4, status: "errored" },
  { condition: "debate", judge: "removed", question: 1, right: false },
  { condition: "debate", judge: "j3", question: 5, status: "running" },
  { condition: "consultancy", judge: "j1", question: 1, right: true, honest: true, timeMs: 5000, confidence: 0.9 },
  { condition: "consultancy", judge: "j2", question: 2, right: true, honest: true, timeMs: 6000, confidence: 0.6 },
  { condition: "consultancy", judge: "j1", question: 3, right: false, honest: false, timeMs: 7000, confidence: 0.7 },
  { condition: "consultancy", judge: "j3", question: 4, right: true, honest: false, timeMs: 8000, confidence: 0.8 },
  { condition: "naive", judge: "j2", question: 0, right: true, confidence: 0.6, timeMs: 9000 },
  { condition: "naive", judge: "j3", question: 1, right: false, confidence: 0.6, timeMs: 1000 },
  { condition: "naive", judge: "ai", question: 2, right: false, confidence: 0.9, timeMs: 500, day: "2025-04-03" },
];

beforeAll(async () => {
  await createSyntheticSet(db(), { source: SOURCE, stories: 3, perStory: 2 });
  const owner = await createResearcher(db());
  const launched = await createLaunchedStudy(db(), owner.id, {
    name: "Results fixture",
    questions: { source: SOURCE, count: 6, seed: 1 },
    conditions: [
      { name: "debate", protocol: "debate" },
      { name: "consultancy", protocol: "consultancy" },
      { name: "naive", protocol: "naive" },
    ],
  });
  studyId = launched.studyId;
  versionId = launched.version.id;
  questions = (await db().question.findMany({ where: { source: SOURCE }, orderBy: { externalId: "asc" } })).map(
    (q) => ({ id: q.id, gold: q.gold, tags: q.tags as string[] }),
  );
  for (const name of ["j1", "j2", "j3", "removed"] as const) {
    const user = await db().user.create({ data: { role: "participant", email: `${name}-${Date.now()}@example.org` } });
    judges[name] = user.id;
    await db().participant.create({
      data: {
        studyId,
        versionId,
        userId: user.id,
        ordinal: Object.keys(judges).length,
        status: name === "removed" ? "removed" : "completed",
      },
    });
  }
  for (const row of ROWS) await addMatch(row);
});

const filters = (input: Partial<ResultsFilters>): ResultsFilters => resultsFiltersSchema.parse(input);
const cell = (correct: number, n: number) => {
  const w = wilsonInterval(correct, n);
  return { n, correct, accuracy: correct / n, ci: w ? [w.lower, w.upper] : null };
};

describe("getStudyResults", () => {
  it("counts analysed verdicts per condition with Wilson intervals, in design order", async () => {
    const results = await getStudyResults(db(), studyId, NO_FILTERS);
    expect(results.verdicts).toBe(11);
    expect(results.conditions.map((c) => [c.condition, c.protocol])).toEqual([
      ["debate", "debate"],
      ["consultancy", "consultancy"],
      ["naive", "naive"],
    ]);
    const [debate, consultancy, naive] = results.conditions;
    expect(debate).toMatchObject(cell(3, 4));
    expect(consultancy).toMatchObject(cell(3, 4));
    expect(naive).toMatchObject(cell(1, 3));
    expect(debate?.ci?.[0]).toBeCloseTo(0.3006, 3); // Wilson 3/4: [0.3006, 0.9544]
    expect(debate?.ci?.[1]).toBeCloseTo(0.9544, 3);
  });

  it("leaves out practice, abandoned, errored and removed participants' matches, and counts them", async () => {
    const { conditions, excluded, pending } = await getStudyResults(db(), studyId, NO_FILTERS);
    expect(conditions[0]?.excluded).toEqual({
      practice: 1,
      abandoned: 1,
      errored: 1,
      participant: 1,
      corrected: 0,
      total: 4,
      share: 0.5,
    });
    expect(conditions[0]?.pending).toBe(1);
    expect(conditions[1]?.excluded.total).toBe(0);
    expect(conditions[1]?.excluded.share).toBe(0);
    expect(excluded).toMatchObject({ total: 4, share: 4 / 15 });
    expect(pending).toBe(1);
  });

  it("scores the final probabilities: Brier, log score, ECE and reliability bins", async () => {
    const [debate, , naive] = (await getStudyResults(db(), studyId, NO_FILTERS)).conditions;
    // p(correct): 0.8, 0.6, 0.9 and 0.3 (wrong at 0.7).
    expect(debate?.brier).toBeCloseTo((0.04 + 0.16 + 0.01 + 0.49) / 4, 12);
    expect(debate?.meanLogScore).toBeCloseTo((Math.log(0.8) + Math.log(0.6) + Math.log(0.9) + Math.log(0.3)) / 4, 12);
    // Bins (0.5,0.6]: 0.6 right; (0.6,0.7]: 0.7 wrong; (0.7,0.8]: 0.8 right; (0.8,0.9]: 0.9 right.
    expect(debate?.ece).toBeCloseTo((0.4 + 0.7 + 0.2 + 0.1) / 4, 12);
    const filled = debate?.reliability.filter((b) => b.count > 0).map((b) => [b.upper, b.count, b.accuracy]);
    expect(filled).toEqual([
      [0.6, 1, 1],
      [0.7, 1, 0],
      [0.8, 1, 1],
      [0.9, 1, 1],
    ]);
    expect(debate?.reliability).toHaveLength(10);
    // Naive: 0.6 right, 0.6 wrong, 0.9 wrong → bin (0.5,0.6] holds 2 with accuracy 1/2.
    expect(naive?.reliability.find((b) => b.upper === 0.6)).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(debate?.meanScore).toBeCloseTo((Math.log(0.8) + Math.log(0.6) + Math.log(0.9) + Math.log(0.3)) / 4, 12);
  });

  it("splits consultancy by the consultant's honesty, and accuracy by rounds", async () => {
    const results = await getStudyResults(db(), studyId, NO_FILTERS);
    expect(results.consultancy).toEqual([{ condition: "consultancy", honest: cell(2, 2), dishonest: cell(1, 2) }]);
    const debateRounds = results.byRounds.filter((r) => r.condition === "debate");
    expect(debateRounds.map((r) => [r.rounds, r.n, r.correct])).toEqual([
      [1, 1, 1],
      [2, 2, 2],
      [3, 1, 0],
    ]);
    expect(results.byRounds.filter((r) => r.condition === "consultancy").map((r) => [r.rounds, r.n])).toEqual([[1, 4]]);
  });

  it("lists questions by judgments with their conditions", async () => {
    const results = await getStudyResults(db(), studyId, NO_FILTERS);
    expect(results.questionCount).toBe(5);
    // Questions 0, 1 and 2 have 3 analysed verdicts each (2 right), questions 3 and 4 one each.
    const top = results.byQuestion.slice(0, 3);
    expect(top.map((q) => [q.n, q.correct])).toEqual([
      [3, 2],
      [3, 2],
      [3, 2],
    ]);
    expect(top.map((q) => q.questionId).sort()).toEqual([questions[0]?.id, questions[1]?.id, questions[2]?.id].sort());
    expect(results.byQuestion.slice(3).map((q) => q.n)).toEqual([1, 1]);
    const first = results.byQuestion.find((q) => q.questionId === questions[0]?.id);
    expect(first?.text).toMatch(/story 0, question 0/);
    expect(first?.byCondition).toEqual([
      { condition: "debate", n: 2, correct: 1 },
      { condition: "naive", n: 1, correct: 1 },
    ]);
  });

  it("ranks judges by mean score with pseudonyms and median times", async () => {
    const { judges: board, judgeCount } = await getStudyResults(db(), studyId, NO_FILTERS);
    expect(judgeCount).toBe(4);
    const j1 = board.find((j) => j.id === judges.j1);
    // j1: debate 0.8 ✓ (1 s), debate 0.9 ✓ (3 s), consultancy 0.9 ✓ (5 s), consultancy 0.7 ✗ (7 s).
    expect(j1).toMatchObject({ label: judgeLabel(judges.j1), kind: "human", n: 4, correct: 3, accuracy: 0.75 });
    expect(j1?.medianTimeMs).toBe(4000);
    expect(j1?.meanScore).toBeCloseTo((Math.log(0.8) + Math.log(0.9) + Math.log(0.9) + Math.log(0.3)) / 4, 12);
    expect(j1?.label).toMatch(/^J-[0-9a-f]{4}$/);
    const ai = board.find((j) => j.kind === "ai");
    expect(ai).toMatchObject({ id: AI, label: AI, n: 1, correct: 0, medianTimeMs: 500 });
    expect(board.find((j) => j.id === judges.j3)?.medianTimeMs).toBe(4000); // 1 s, 4 s, 8 s
    const scores = board.map((j) => j.meanScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(board.some((j) => j.id === judges.removed)).toBe(false);
  });

  it("gives debater win rates when honest and dishonest, and Bradley–Terry ratings", async () => {
    const results = await getStudyResults(db(), studyId, NO_FILTERS);
    // X (offline:extractive): debate honest 2 (both won), dishonest 2 (won 1); consultant honest 2 (won 2),
    // dishonest 2 (won 1, when the judge was fooled). Y: honest 2 (won 1), dishonest 2 (won 0).
    expect(results.debaters).toEqual([
      { model: X, honest: { n: 4, wins: 4, rate: 1 }, dishonest: { n: 4, wins: 2, rate: 0.5 } },
      { model: Y, honest: { n: 2, wins: 1, rate: 0.5 }, dishonest: { n: 2, wins: 0, rate: 0 } },
    ]);
    expect(results.ratings?.games).toBe(4);
    const [first, second] = results.ratings?.ratings ?? [];
    expect(first).toMatchObject({ player: X, games: 4, score: 3 });
    expect(second).toMatchObject({ player: Y, games: 4, score: 1 });
    const intervals = await getRatingIntervals(db(), studyId, NO_FILTERS, { replicates: 200 });
    expect(intervals?.games).toBe(4);
    for (const r of intervals?.ratings ?? []) expect(r.lower).toBeLessThanOrEqual(r.upper);
  });

  it("applies each filter to every number", async () => {
    const onlyDebate = await getStudyResults(db(), studyId, filters({ condition: ["debate"] }));
    expect(onlyDebate.conditions.map((c) => c.condition)).toEqual(["debate"]);
    expect(onlyDebate.verdicts).toBe(4);
    expect(onlyDebate.consultancy).toEqual([]);

    const ai = await getStudyResults(db(), studyId, filters({ judgeKind: "ai" }));
    expect(ai.verdicts).toBe(1);
    expect(ai.conditions.find((c) => c.condition === "naive")).toMatchObject({ n: 1, correct: 0 });
    expect(ai.conditions[0]?.excluded).toMatchObject({ errored: 1, total: 1 });
    const human = await getStudyResults(db(), studyId, filters({ judgeKind: "human" }));
    expect(human.verdicts).toBe(10);

    const one = await getStudyResults(db(), studyId, filters({ judge: judges.j1 }));
    expect(one.verdicts).toBe(4);
    expect(one.judges.map((j) => j.id)).toEqual([judges.j1]);

    // Tag "first": the first question of each story (0, 2, 4).
    expect(await listStudyTags(db(), studyId)).toEqual(["first"]);
    const tagged = await getStudyResults(db(), studyId, filters({ tag: ["first"] }));
    expect(tagged.verdicts).toBe(7);
    const none = await getStudyResults(db(), studyId, filters({ tag: ["first", "missing"] }));
    expect(none.verdicts).toBe(0);
    expect(none.conditions.every((c) => c.n === 0 && c.accuracy === null && c.ci === null)).toBe(true);

    // Dates: a day includes all of it; the April verdicts are the debate miss and the AI's naive miss.
    const april = await getStudyResults(db(), studyId, filters({ from: "2025-04-01", to: "2025-04-03" }));
    expect(april.verdicts).toBe(2);
    const march = await getStudyResults(db(), studyId, filters({ to: "2025-03-31" }));
    expect(march.verdicts).toBe(9);
    expect(march.conditions[0]?.excluded.abandoned).toBe(1);
  });

  it("rejects contradictory filters and throws NOT_FOUND for an unknown study", async () => {
    expect(resultsFiltersSchema.safeParse({ from: "2025-05-01", to: "2025-04-01" }).success).toBe(false);
    await expect(getStudyResults(db(), "no-such-study", NO_FILTERS)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("getHeadlineComparison", () => {
  it("compares debate with consultancy and naive, with intervals, p-values and a sentence; cached until a new verdict", async () => {
    clearResultsCache();
    const headline = await getHeadlineComparison(db(), studyId, NO_FILTERS, { replicates: 300, permutations: 999 });
    expect(headline.cached).toBe(false);
    expect(headline.differences.map((d) => [d.a, d.b])).toEqual([
      ["debate", "consultancy"],
      ["debate", "naive"],
    ]);
    const [vsConsultancy, vsNaive] = headline.differences;
    expect(vsConsultancy).toMatchObject({ accuracyA: 0.75, accuracyB: 0.75, estimate: 0, nA: 4, nB: 4 });
    expect(vsNaive?.estimate).toBeCloseTo(0.75 - 1 / 3, 12);
    for (const d of headline.differences) {
      expect(d.p).toBeGreaterThan(0);
      expect(d.p).toBeLessThanOrEqual(1);
      expect(d.ci?.[0]).toBeLessThanOrEqual(d.ci?.[1] ?? Number.NaN);
    }
    expect(vsNaive?.summary).toMatch(
      /^Debate judges were right 75% of the time vs 33% with naive; difference \+42 points, 95% CI \[[+-]\d+, \+\d+\], permutation p = [01]\.\d+\.$/,
    );
    expect(headline.summary).toBe(vsConsultancy?.summary);

    const again = await getHeadlineComparison(db(), studyId, NO_FILTERS, { replicates: 300, permutations: 999 });
    expect(again.cached).toBe(true);
    expect(again.differences).toEqual(headline.differences);

    await addMatch({ condition: "naive", judge: "j1", question: 5, right: true, confidence: 0.7 });
    const fresh = await getHeadlineComparison(db(), studyId, NO_FILTERS, { replicates: 300, permutations: 999 });
    expect(fresh.cached).toBe(false);
    expect(fresh.differences[1]?.accuracyB).toBe(0.5);

    // Removing a participant changes what is analysed, so it invalidates the cache too.
    await db().participant.update({ where: { userId: judges.j3 }, data: { status: "removed" } });
    const afterRemoval = await getHeadlineComparison(db(), studyId, NO_FILTERS, { replicates: 300, permutations: 999 });
    expect(afterRemoval.cached).toBe(false);
    expect(afterRemoval.differences[0]).toMatchObject({ nA: 3, accuracyA: 1 });
  });

  it("compares the conditions named in the filter, in that order", async () => {
    const headline = await getHeadlineComparison(db(), studyId, filters({ condition: ["naive", "consultancy"] }), {
      replicates: 200,
      permutations: 499,
    });
    expect(headline.differences.map((d) => [d.a, d.b])).toEqual([["naive", "consultancy"]]);
  });
});

describe("kept aggregates", () => {
  const withoutTime = ({ generatedAt: _, ...rest }: Awaited<ReturnType<typeof getStudyResults>>) => rest;
  const debateOnly = filters({ condition: ["debate"], judgeKind: "human" });
  /**
   * The results as kept and brought up to date, then computed from nothing, under no filters and a filter: they
   * must be the same. Returns the unfiltered ones.
   */
  async function keptAndFresh() {
    const kept = [await getStudyResults(db(), studyId, NO_FILTERS), await getStudyResults(db(), studyId, debateOnly)];
    clearResultsCache();
    const fresh = [await getStudyResults(db(), studyId, NO_FILTERS), await getStudyResults(db(), studyId, debateOnly)];
    expect(kept.map(withoutTime)).toEqual(fresh.map(withoutTime));
    return kept[0] as Awaited<ReturnType<typeof getStudyResults>>;
  }

  it("adds new verdicts to what they hold, and recompute on removals and rows written out of order", async () => {
    const before = await keptAndFresh();

    // New verdicts of every kind: analysed, practice, and by the removed participant.
    await addMatch({ condition: "debate", judge: "j1", question: 4, right: false, confidence: 0.55, rounds: 2 });
    await addMatch({ condition: "consultancy", judge: "ai", question: 5, right: true, honest: true });
    await addMatch({ condition: "debate", judge: "j1", question: 5, right: true, practice: true });
    await addMatch({ condition: "debate", judge: "removed", question: 2, right: true });
    await addMatch({ condition: "naive", judge: "j2", question: 3, status: "abandoned" });
    let stats = verdictAggregateStats();
    const after = await keptAndFresh();
    expect(verdictAggregateStats()).toMatchObject({ extended: stats.extended + 2, computed: stats.computed + 2 });
    expect(after.verdicts).toBe(before.verdicts + 2);
    expect(after.excluded.practice).toBe(before.excluded.practice + 1);
    expect(after.excluded.participant).toBe(before.excluded.participant + 1);
    expect(after.excluded.abandoned).toBe(before.excluded.abandoned + 1);

    // Nothing new: the kept aggregates serve as they are.
    stats = verdictAggregateStats();
    await keptAndFresh();
    expect(verdictAggregateStats()).toMatchObject({ reused: stats.reused + 2, computed: stats.computed + 2 });

    // A participant removed: their verdicts leave the analysis.
    await db().participant.update({ where: { userId: judges.j1 }, data: { status: "removed" } });
    stats = verdictAggregateStats();
    const removed = await keptAndFresh();
    expect(verdictAggregateStats()).toMatchObject({ extended: stats.extended, computed: stats.computed + 4 });
    expect(removed.judges.map((j) => j.id)).not.toContain(judges.j1);

    // A row that commits after a later-numbered one (PostgreSQL sequences): taken out, then put back below the top.
    const [first] = await db().studyVerdict.findMany({ where: { studyId }, orderBy: { seq: "asc" }, take: 1 });
    if (!first) throw new Error("no verdict rows");
    await db().studyVerdict.delete({ where: { seq: first.seq } });
    stats = verdictAggregateStats();
    const without = await keptAndFresh();
    expect(verdictAggregateStats()).toMatchObject({ extended: stats.extended, computed: stats.computed + 4 });
    expect(without.verdicts + without.excluded.total).toBe(removed.verdicts + removed.excluded.total - 1);
    await db().studyVerdict.create({
      data: { ...first, debaters: first.debaters ?? [], probabilities: first.probabilities ?? [] },
    });
    stats = verdictAggregateStats();
    expect(withoutTime(await keptAndFresh())).toEqual(withoutTime(removed));
    expect(verdictAggregateStats()).toMatchObject({ extended: stats.extended, computed: stats.computed + 4 });
  });
});

describe("resampling whose rows the worker reads", () => {
  const headlineOptions = { replicates: 300, permutations: 999, seed: "sources" };
  async function resampled(client: Db, f: ResultsFilters) {
    clearResultsCache();
    const { differences, summary, verdicts } = await getHeadlineComparison(client, studyId, f, headlineOptions);
    const ratings = await getRatingIntervals(client, studyId, f, { replicates: 300, seed: "sources" });
    return { differences, summary, verdicts, ratings };
  }

  it("gives the numbers of the same rows read on the main thread, under each filter", async () => {
    // A client that createDb did not make names no file for a worker to open: its rows are read here, by Prisma.
    // On PostgreSQL every read is made here (docs/database.md), so this compares two clients of one database.
    const here = onPostgres ? createDb(url) : (new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) }) as Db);
    try {
      for (const f of [NO_FILTERS, filters({ condition: ["naive", "debate"] }), filters({ judgeKind: "human" })]) {
        const inWorker = await resampled(db(), f);
        expect(inWorker.differences.length).toBeGreaterThan(0);
        expect(await resampled(here, f)).toEqual(inWorker);
      }
    } finally {
      await here.$disconnect();
    }
  });

  it("fits the ratings to the games in the order of the verdict groups, as when they came from the kept aggregates", async () => {
    clearResultsCache();
    const { groups } = await readVerdictAggregates(db(), await resolveScope(db(), studyId, NO_FILTERS));
    const games = ratingOutcomes(groups.values());
    const expected = bradleyTerryIntervals(games, { replicates: 300, seed: "order" });
    const intervals = await getRatingIntervals(db(), studyId, NO_FILTERS, { replicates: 300, seed: "order" });
    expect(intervals).toEqual({ studyId, replicates: 300, ratings: expected.ratings, games: games.length });
  });
});
