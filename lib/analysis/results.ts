import { z } from "zod";
import type { Db } from "../db/client";
import { accuracyCredit } from "../debate/scoring";
import { CruxError } from "../errors";
import { qualificationCounts } from "../studies/qualification";
import { bradleyTerry } from "./index";
import { compareWithOriginals, type RecordedVerdictRow } from "./recorded-comparison";
import { questionRows, rankJudges, ratingOutcomes, topQuestions } from "./results-rankings";
import { json, type OutcomeRow, toNullableNumber, toNumber } from "./results-rows";
import {
  type JudgeRow,
  type RecordedComparison,
  type ResultsFilters,
  resultsFiltersSchema,
  type ScreeningSummary,
  type StudyResults,
} from "./results-schema";
import {
  judgeMediansQuery,
  matchTagsQuery,
  type QueryScope,
  questionTagsQuery,
  questionTextQuery,
  recordedVerdictsQuery,
  unjudgedQuery,
} from "./results-sql";
import {
  conditionResult,
  consultancySplits,
  finishExclusions,
  roundsRows,
  tallyForecasts,
  tallyOutcomes,
} from "./results-tally";
import { readVerdictAggregates } from "./verdict-aggregates";
import { wilsonInterval } from "./wilson";

/**
 * A study's results: accuracy with Wilson intervals, calibration, exclusions, consultancy honest/dishonest, rounds,
 * questions, the judge leaderboard and debater win rates with Bradley–Terry ratings — from a handful of GROUP BY
 * queries (./results-sql.ts) that return a few thousand rows however many verdicts there are. Those aggregates are
 * kept per study and filters, and a later request adds only the verdicts written since (./verdict-aggregates.ts),
 * so a page watched during a live study costs little more than its small queries. This module reads; the tallies
 * (./results-tally.ts) and rankings (./results-rankings.ts) are pure. The resampling (bootstrap differences,
 * permutation tests, rating intervals) is in ./headline.ts, requested separately.
 */

export interface ResultsOptions {
  /** Questions listed in `byQuestion` (default 20). */
  questionLimit?: number;
  /** Judges listed in the leaderboard, best first (default 100). */
  judgeLimit?: number;
}

const studyConditionsSchema = z.object({
  conditions: z.array(z.object({ name: z.string(), protocol: z.string() })).catch([]),
});

/** The study's conditions in design order (NOT_FOUND when there is no such study). */
export async function readStudyConditions(db: Db, studyId: string): Promise<Array<{ name: string; protocol: string }>> {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { config: true } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  const parsed = studyConditionsSchema.safeParse(study.config);
  return parsed.success ? parsed.data.conditions : [];
}

/**
 * Validates filters and, with a tag filter, finds for each tag (case-insensitive) the study's questions carrying it;
 * the queries also accept a match carrying it (MatchTag), so every tag must be on the question or the match.
 */
export async function resolveScope(db: Db, studyId: string, input: ResultsFilters): Promise<QueryScope> {
  const filters = resultsFiltersSchema.parse(input);
  if (filters.tag.length === 0) return { studyId, filters, tags: null };
  const rows = await db.$queryRaw<Array<{ id: string; tags: unknown }>>(questionTagsQuery(studyId));
  const questionTags = rows.map((row) => {
    const tags = json(row.tags);
    return { id: row.id, have: new Set(Array.isArray(tags) ? tags.map((t) => String(t).toLowerCase()) : []) };
  });
  const tags = [...new Set(filters.tag.map((t) => t.toLowerCase()))].map((tag) => ({
    tag,
    questionIds: questionTags.filter((q) => q.have.has(tag)).map((q) => q.id),
  }));
  return { studyId, filters, tags };
}

/** The distinct tags of the study's questions and matches (imported debates' tags), for the filter form. */
export async function listStudyTags(db: Db, studyId: string): Promise<string[]> {
  const [rows, matchTags] = await Promise.all([
    db.$queryRaw<Array<{ id: string; tags: unknown }>>(questionTagsQuery(studyId)),
    db.$queryRaw<Array<{ tag: string }>>(matchTagsQuery(studyId)),
  ]);
  const tags = new Set<string>(matchTags.map((row) => row.tag));
  for (const row of rows) {
    const list = json(row.tags);
    if (Array.isArray(list)) for (const tag of list) tags.add(String(tag));
  }
  return [...tags].sort((a, b) => a.localeCompare(b));
}

/** The study's outcome and forecast rows — its verdicts' (aggregated), then its matches without one — and the aggregates. */
async function queryOutcomes(db: Db, scope: QueryScope) {
  const [aggregates, unjudged] = await Promise.all([
    readVerdictAggregates(db, scope),
    db.$queryRaw<Array<{ condition: string | null; protocol: string; bucket: OutcomeRow["bucket"]; n: unknown }>>(
      unjudgedQuery(scope),
    ),
  ]);
  const rows = [
    ...aggregates.groups.values(),
    ...unjudged.map(
      (row): OutcomeRow => ({
        part: "outcome",
        ...row,
        rounds: null,
        debaters: null,
        chosen: null,
        ok: null,
        probabilities: null,
        correct: 0,
        score: 0,
      }),
    ),
  ];
  return { aggregates, rows };
}

/** The text of each question, by id. */
async function readQuestionTexts(db: Db, ids: string[]): Promise<Map<string, string>> {
  const texts = ids.length > 0 ? await db.$queryRaw<Array<{ id: string; text: string }>>(questionTextQuery(ids)) : [];
  return new Map(texts.map((t) => [t.id, t.text]));
}

/** Fills in the judges' median decision times. */
async function addMedianTimes(db: Db, scope: QueryScope, judges: JudgeRow[]): Promise<void> {
  if (judges.length === 0) return;
  const medians = await db.$queryRaw<Array<{ judge: string; medianMs: unknown }>>(
    judgeMediansQuery(
      scope,
      judges.map((j) => j.id),
    ),
  );
  const byJudge = new Map(medians.map((m) => [m.judge, toNullableNumber(m.medianMs)]));
  for (const judge of judges) judge.medianTimeMs = byJudge.get(judge.id) ?? null;
}

/**
 * Results of a study under `filters` (see ./results-schema.ts). Throws NOT_FOUND when there is no such study;
 * access control is the caller's (getStudyFor). Conditions come in design order, then any others found in the data.
 */
export async function getStudyResults(
  db: Db,
  studyId: string,
  filters: ResultsFilters,
  options: ResultsOptions = {},
): Promise<StudyResults> {
  const designed = await readStudyConditions(db, studyId);
  const scope = await resolveScope(db, studyId, filters);
  const { rows, aggregates } = await queryOutcomes(db, scope);
  const questions = topQuestions(aggregates.questions.values(), options.questionLimit ?? 20);
  const textOf = await readQuestionTexts(
    db,
    questions.top.map((r) => r.questionId),
  );

  const outcomes = rows.filter((row) => row.part === "outcome");
  const tally = tallyOutcomes(outcomes, designed, scope.filters.condition);
  tallyForecasts(rows, tally.conditions);
  const conditions = [...tally.conditions.values()].map(conditionResult);
  const verdicts = conditions.reduce((sum, c) => sum + c.n, 0);
  const order = new Map(conditions.map((c, i) => [c.condition, i]));

  const ranked = rankJudges(aggregates.judges.values());
  const judges = ranked.slice(0, options.judgeLimit ?? 100);
  await addMedianTimes(db, scope, judges);

  const games = ratingOutcomes(outcomes);
  const fit = games.length > 0 ? bradleyTerry(games) : null;

  return {
    studyId,
    filters: scope.filters,
    generatedAt: new Date().toISOString(),
    verdicts,
    conditions,
    excluded: finishExclusions(tally.excluded, verdicts),
    pending: tally.pending,
    consultancy: consultancySplits(tally.consultancy),
    byRounds: roundsRows(tally.rounds.values(), order),
    byQuestion: questionRows(questions, textOf, order),
    questionCount: questions.count,
    judges,
    judgeCount: ranked.length,
    debaters: [...tally.debaters.values()].sort((a, b) => a.model.localeCompare(b.model)),
    ratings: fit ? { ratings: fit.ratings, games: games.length } : null,
    screening: await readScreening(db, studyId),
    recorded: await readRecordedComparisons(db, scope, [...designed.map((c) => c.name), ...order.keys()]),
  };
}

/** The recorded conditions' new verdicts against their source debates' original verdicts. */
async function readRecordedComparisons(
  db: Db,
  scope: QueryScope,
  conditions: readonly string[],
): Promise<RecordedComparison[]> {
  const raw = await db.$queryRaw<Array<{ condition: string | null; source: string; n: unknown; correct: unknown }>>(
    recordedVerdictsQuery(scope),
  );
  if (raw.length === 0) return [];
  const rows: RecordedVerdictRow[] = raw.map((r) => ({
    condition: r.condition ?? "",
    source: r.source,
    n: toNumber(r.n),
    correct: toNumber(r.correct),
  }));
  const verdicts = await db.verdict.findMany({
    where: { matchId: { in: [...new Set(rows.map((r) => r.source))] } },
    select: { matchId: true, chosen: true, correct: true },
  });
  const originals = new Map(verdicts.map((v) => [v.matchId, accuracyCredit(v)]));
  return compareWithOriginals(rows, originals, [...new Set(conditions)]);
}

/** The qualification pass rate (participants, whatever the filters: screening happens before any verdict). */
async function readScreening(db: Db, studyId: string): Promise<ScreeningSummary | null> {
  const counts = await qualificationCounts(db, studyId);
  if (!counts) return null;
  const n = counts.passed + counts.failed;
  const interval = wilsonInterval(counts.passed, n);
  return {
    n,
    correct: counts.passed,
    failed: counts.failed,
    accuracy: interval?.estimate ?? null,
    ci: interval ? [interval.lower, interval.upper] : null,
  };
}
