import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client";
import type { DebaterSeat } from "../debate/types";
import { CruxError } from "../errors";
import {
  bradleyTerry,
  brierScore,
  confidenceAndCorrectness,
  expectedCalibrationError,
  type Forecast,
  meanLogScore,
  type PairwiseOutcome,
  reliabilityDiagram,
  wilsonInterval,
} from "./index";
import {
  type AccuracyCell,
  type ConditionResult,
  type ConsultancySplit,
  type DebaterRow,
  type Exclusions,
  type JudgeRow,
  type QuestionRow,
  type ResultsFilters,
  type RoundsRow,
  resultsFiltersSchema,
  type StudyResults,
} from "./results-schema";
import {
  excludedJudgesQuery,
  judgeMediansQuery,
  judgesQuery,
  type QueryScope,
  questionCellsQuery,
  questionTagsQuery,
  questionTextQuery,
  type SeqRange,
  unjudgedQuery,
  verdictGroupsQuery,
  verdictWatermarkQuery,
} from "./results-sql";

/**
 * A study's results: accuracy with Wilson intervals, calibration, exclusions, consultancy honest/dishonest, rounds,
 * questions, the judge leaderboard and debater win rates with Bradley–Terry ratings — from a handful of GROUP BY
 * queries (./results-sql.ts) that return a few thousand rows however many verdicts there are. Those aggregates are
 * kept per study and filters, and a later request adds only the verdicts written since (see
 * {@link readVerdictAggregates}), so a page watched during a live study costs little more than its small queries.
 * The resampling (bootstrap differences, permutation tests, rating intervals) is in ./headline.ts, requested
 * separately.
 */

export interface ResultsOptions {
  /** Questions listed in `byQuestion` (default 20). */
  questionLimit?: number;
  /** Judges listed in the leaderboard, best first (default 100). */
  judgeLimit?: number;
}

/** Any number the database hands back (SQLite integers arrive as bigint, PostgreSQL averages as decimals). */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value === null || value === undefined) return 0;
  return Number(String(value));
}

function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** A JSON column: parsed by Prisma already on both databases, but accept text too. */
function json(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** n, correct, accuracy and its Wilson 95% interval. */
export function accuracyCell(correct: number, n: number): AccuracyCell {
  const interval = wilsonInterval(correct, n);
  return {
    n,
    correct,
    accuracy: interval ? interval.estimate : null,
    ci: interval ? [interval.lower, interval.upper] : null,
  };
}

/** "J-3f2a": a stable pseudonym for a human judge (the first 4 hex digits of the SHA-256 of the user id). */
export function judgeLabel(id: string): string {
  return `J-${createHash("sha256").update(id).digest("hex").slice(0, 4)}`;
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

/** Validates filters and, with a tag filter, finds the study's questions carrying every tag (case-insensitive). */
export async function resolveScope(db: Db, studyId: string, input: ResultsFilters): Promise<QueryScope> {
  const filters = resultsFiltersSchema.parse(input);
  if (filters.tag.length === 0) return { studyId, filters, questionIds: null };
  const rows = await db.$queryRaw<Array<{ id: string; tags: unknown }>>(questionTagsQuery(studyId));
  const wanted = filters.tag.map((t) => t.toLowerCase());
  const questionIds = rows
    .filter((row) => {
      const tags = json(row.tags);
      const have = new Set(Array.isArray(tags) ? tags.map((t) => String(t).toLowerCase()) : []);
      return wanted.every((t) => have.has(t));
    })
    .map((row) => row.id);
  return { studyId, filters, questionIds };
}

/** The distinct tags of the study's questions, for the filter form. */
export async function listStudyTags(db: Db, studyId: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string; tags: unknown }>>(questionTagsQuery(studyId));
  const tags = new Set<string>();
  for (const row of rows) {
    const list = json(row.tags);
    if (Array.isArray(list)) for (const tag of list) tags.add(String(tag));
  }
  return [...tags].sort((a, b) => a.localeCompare(b));
}

// ---------------------------------------------------------------------------------------------------------------

/** A row of ./results-sql.ts outcomesQuery: an "outcome" or a "forecast" (columns of the other kind are null). */
interface OutcomeRow {
  part: "outcome" | "forecast";
  condition: string | null;
  protocol: string;
  bucket: "included" | "practice" | "abandoned" | "errored" | "participant" | "pending";
  rounds: unknown;
  debaters: unknown;
  chosen: unknown;
  ok: unknown;
  probabilities: unknown;
  n: unknown;
  correct: unknown;
  score: unknown;
}

/** Match.debaters (DebaterSeat[]) read leniently: a malformed row tallies no debaters instead of failing the page. */
const seatsSchema = z
  .array(z.object({ seat: z.string(), option: z.number(), model: z.string(), honest: z.boolean().optional() }))
  .catch([]);

interface JudgeQueryRow {
  judge: string;
  kind: string;
  n: number;
  correct: number;
  score: number;
}

interface QuestionCellRow {
  questionId: string;
  condition: string;
  n: number;
  correct: number;
}

/** The verdict aggregates of a study under some filters: sums keyed by their GROUP BY columns. */
interface VerdictAggregates {
  /** verdictGroupsQuery rows, n/correct/score as numbers. */
  groups: Map<string, OutcomeRow>;
  judges: Map<string, JudgeQueryRow>;
  questions: Map<string, QuestionCellRow>;
}

const keyOf = (...parts: unknown[]) =>
  parts
    .map((p) =>
      typeof p === "string" ? p : JSON.stringify(p ?? null, (_k, v) => (typeof v === "bigint" ? Number(v) : v)),
    )
    .join("\u0000");

/** Adds `rows` into `into` (a copy is made of each entry it changes, so earlier snapshots stay as they were). */
function addRows<T extends { n: unknown }>(
  into: Map<string, T>,
  rows: readonly T[],
  key: (row: T) => string,
  sums: ReadonlyArray<keyof T>,
): void {
  for (const row of rows) {
    const k = key(row);
    const held = into.get(k);
    const next = { ...(held ?? row) };
    for (const field of sums)
      (next as Record<keyof T, unknown>)[field] = (held ? toNumber(held[field]) : 0) + toNumber(row[field]);
    into.set(k, next);
  }
}

async function queryAggregates(db: Db, scope: QueryScope, range: SeqRange, base?: VerdictAggregates) {
  const [groups, judges, questions] = await Promise.all([
    db.$queryRaw<OutcomeRow[]>(verdictGroupsQuery(scope, range)),
    db.$queryRaw<JudgeQueryRow[]>(judgesQuery(scope, range)),
    db.$queryRaw<QuestionCellRow[]>(questionCellsQuery(scope, range)),
  ]);
  const next: VerdictAggregates = {
    groups: new Map(base?.groups),
    judges: new Map(base?.judges),
    questions: new Map(base?.questions),
  };
  addRows(
    next.groups,
    groups,
    (r) => keyOf(r.part, r.condition, r.protocol, r.bucket, r.rounds, r.debaters, r.chosen, r.ok, r.probabilities),
    ["n", "correct", "score"],
  );
  addRows(next.judges, judges, (r) => keyOf(r.judge, r.kind), ["n", "correct", "score"]);
  addRows(next.questions, questions, (r) => keyOf(r.questionId, r.condition), ["n", "correct"]);
  return next;
}

interface Snapshot {
  /** The aggregates cover the study's StudyVerdict rows with seq ≤ upTo … */
  upTo: number;
  /** … of which there were this many when read (more later means a row committed late, below upTo). */
  count: number;
  /** The excluded participants they were computed with. */
  excluded: string;
  aggregates: VerdictAggregates;
}

const SNAPSHOT_LIMIT = 50;
const snapshots = new Map<string, Snapshot>();
/** How requests were served: from kept aggregates as they were, kept ones brought up to date, or computed afresh. */
const served = { reused: 0, extended: 0, computed: 0 };

/** Forgets every kept aggregate (tests, benchmarks). */
export function clearVerdictAggregates(): void {
  snapshots.clear();
}

/** How many requests were served from kept aggregates, by extending them, or by computing afresh (since start). */
export function verdictAggregateStats(): Readonly<typeof served> {
  return { ...served };
}

/**
 * The study's verdict aggregates under `scope`. Verdict rows are append-only and numbered (StudyVerdict.seq), so
 * aggregates kept from an earlier request are brought up to date by aggregating just the rows numbered after them
 * and adding the sums. They are computed afresh when there are none for these filters, when the set of excluded
 * participants changed (a removal moves verdicts out of the analysis), or when a row appeared below the kept
 * number (PostgreSQL hands out sequence numbers before commit, so one transaction may commit after a later one).
 */
export async function readVerdictAggregates(db: Db, scope: QueryScope): Promise<VerdictAggregates> {
  const key = keyOf(scope.studyId, scope.filters, scope.questionIds);
  const excludedRows = await db.$queryRaw<Array<{ id: string }>>(excludedJudgesQuery(scope.studyId));
  const excluded = excludedRows.map((r) => r.id).join("\n");
  const held = snapshots.get(key);
  const usable = held && held.excluded === excluded ? held : undefined;
  const [mark] = await db.$queryRaw<Array<{ n: unknown; top: unknown; newer: unknown }>>(
    verdictWatermarkQuery(scope.studyId, usable?.upTo ?? 0),
  );
  const count = toNumber(mark?.n);
  const top = toNumber(mark?.top);
  let next: Snapshot;
  if (usable && count - toNumber(mark?.newer) === usable.count) {
    if (top === usable.upTo) {
      served.reused++;
      return usable.aggregates;
    }
    const aggregates = await queryAggregates(db, scope, { after: usable.upTo, upTo: top }, usable.aggregates);
    next = { upTo: top, count, excluded, aggregates };
    served.extended++;
  } else {
    next = { upTo: top, count, excluded, aggregates: await queryAggregates(db, scope, { upTo: top }) };
    served.computed++;
  }
  const current = snapshots.get(key);
  if (!current || current.upTo <= next.upTo) {
    snapshots.delete(key);
    snapshots.set(key, next);
    while (snapshots.size > SNAPSHOT_LIMIT) {
      const oldest = snapshots.keys().next().value;
      if (oldest === undefined) break;
      snapshots.delete(oldest);
    }
  }
  return next.aggregates;
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

/**
 * An analysed outcome row split by whether the judge was right, with the correct option where it is known: the
 * chosen one when right; the other one when wrong (questions in Crux have two options).
 */
function* judgedGroups(row: OutcomeRow): Generator<{ count: number; right: boolean; chosen: number; gold: number }> {
  const n = toNumber(row.n);
  const correct = toNumber(row.correct);
  const chosen = toNumber(row.chosen);
  if (correct > 0) yield { count: correct, right: true, chosen, gold: chosen };
  if (n - correct > 0) yield { count: n - correct, right: false, chosen, gold: 1 - chosen };
}

/** Debater games between two different models: a model wins when the judge chose its option. */
export function ratingOutcomes(rows: Iterable<OutcomeRow>): PairwiseOutcome[] {
  const outcomes: PairwiseOutcome[] = [];
  for (const row of rows) {
    if (row.part !== "outcome" || row.bucket !== "included") continue;
    const seats = seatsSchema.parse(json(row.debaters));
    const [a, b] = seats;
    if (seats.length !== 2 || !a || !b || a.model === b.model) continue;
    const chosen = toNumber(row.chosen);
    const outcome = { a: a.model, b: b.model, scoreA: a.option === chosen ? 1 : b.option === chosen ? 0 : 0.5 };
    for (let i = toNumber(row.n); i > 0; i--) outcomes.push(outcome);
  }
  return outcomes;
}

const emptyExclusions = (): Exclusions => ({
  practice: 0,
  abandoned: 0,
  errored: 0,
  participant: 0,
  total: 0,
  share: null,
});

function finishExclusions(e: Exclusions, analysed: number): Exclusions {
  const total = e.practice + e.abandoned + e.errored + e.participant;
  return { ...e, total, share: analysed + total > 0 ? total / (analysed + total) : null };
}

interface ConditionTally {
  condition: string;
  protocol: string;
  n: number;
  correct: number;
  score: number;
  excluded: Exclusions;
  pending: number;
  forecasts: Forecast[];
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
  const questionLimit = options.questionLimit ?? 20;
  const judgeLimit = options.judgeLimit ?? 100;
  const designed = await readStudyConditions(db, studyId);
  const scope = await resolveScope(db, studyId, filters);
  const { rows, aggregates } = await queryOutcomes(db, scope);
  const judgeRows = [...aggregates.judges.values()];
  // Questions: the most judged first, ties by id.
  const perQuestion = new Map<string, number>();
  for (const cell of aggregates.questions.values())
    perQuestion.set(cell.questionId, (perQuestion.get(cell.questionId) ?? 0) + cell.n);
  const topRows = [...perQuestion.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, questionLimit)
    .map(([questionId, n]) => ({ questionId, n }));
  const topIds = topRows.map((r) => r.questionId);
  const details = [...aggregates.questions.values()].filter((cell) => topIds.includes(cell.questionId));
  const texts =
    topIds.length > 0 ? await db.$queryRaw<Array<{ id: string; text: string }>>(questionTextQuery(topIds)) : [];
  const textOf = new Map(texts.map((t) => [t.id, t.text]));

  // Per condition: design order first, restricted to the condition filter when there is one.
  const tallies = new Map<string, ConditionTally>();
  const tally = (condition: string, protocol: string): ConditionTally => {
    let t = tallies.get(condition);
    if (!t) {
      t = { condition, protocol, n: 0, correct: 0, score: 0, excluded: emptyExclusions(), pending: 0, forecasts: [] };
      tallies.set(condition, t);
    }
    return t;
  };
  for (const c of designed)
    if (scope.filters.condition.length === 0 || scope.filters.condition.includes(c.name)) tally(c.name, c.protocol);

  const studyExcluded = emptyExclusions();
  let pending = 0;
  const rounds = new Map<string, RoundsRow>();
  const consultancy = new Map<string, { honest: [number, number]; dishonest: [number, number] }>();
  const models = new Map<string, DebaterRow>();
  const outcomes = rows.filter((row) => row.part === "outcome");
  for (const row of outcomes) {
    const n = toNumber(row.n);
    const t = row.condition === null ? null : tally(row.condition, row.protocol);
    if (row.bucket === "pending") {
      pending += n;
      if (t) t.pending += n;
      continue;
    }
    if (row.bucket !== "included") {
      studyExcluded[row.bucket] += n;
      if (t) t.excluded[row.bucket] += n;
      continue;
    }
    if (!t) continue;
    const correct = toNumber(row.correct);
    t.n += n;
    t.correct += correct;
    t.score += toNumber(row.score);

    const r = toNumber(row.rounds);
    const key = `${t.condition}\u0000${r}`;
    const cell = rounds.get(key) ?? { condition: t.condition, rounds: r, ...accuracyCell(0, 0) };
    cell.n += n;
    cell.correct += correct;
    rounds.set(key, cell);

    const seats = seatsSchema.parse(json(row.debaters));
    for (const group of judgedGroups(row)) {
      for (const seat of seats) tallySeat(models, seat, group);
      const [consultant] = seats;
      if (t.protocol === "consultancy" && seats.length === 1 && consultant) {
        const split = consultancy.get(t.condition) ?? { honest: [0, 0], dishonest: [0, 0] };
        const honest = consultant.honest ?? consultant.option === group.gold;
        const side = honest ? split.honest : split.dishonest;
        side[0] += group.count;
        if (group.right) side[1] += group.count;
        consultancy.set(t.condition, split);
      }
    }
  }

  for (const row of rows) {
    const t = row.part === "forecast" && row.condition !== null ? tallies.get(row.condition) : undefined;
    const probabilities = json(row.probabilities);
    if (!t || !Array.isArray(probabilities)) continue;
    // Two options: the correct one is the chosen one when the judge was right, else the other.
    const chosen = toNumber(row.chosen);
    const forecast: Forecast = {
      probabilities: probabilities.map(Number),
      gold: toNumber(row.ok) ? chosen : 1 - chosen,
    };
    try {
      confidenceAndCorrectness(forecast);
    } catch {
      continue; // malformed probabilities (imported data): left out of calibration only
    }
    for (let i = toNumber(row.n); i > 0; i--) t.forecasts.push(forecast);
  }

  const conditions: ConditionResult[] = [...tallies.values()].map((t) => {
    const calibration = expectedCalibrationError(t.forecasts);
    return {
      condition: t.condition,
      protocol: t.protocol,
      ...accuracyCell(t.correct, t.n),
      meanScore: t.n > 0 ? t.score / t.n : null,
      meanLogScore: meanLogScore(t.forecasts),
      brier: brierScore(t.forecasts),
      ece: calibration?.ece ?? null,
      reliability: calibration?.bins ?? reliabilityDiagram([]),
      excluded: finishExclusions(t.excluded, t.n),
      pending: t.pending,
    };
  });
  const verdicts = conditions.reduce((sum, c) => sum + c.n, 0);
  const order = new Map(conditions.map((c, i) => [c.condition, i]));

  const ranked: JudgeRow[] = judgeRows
    .map((row) => {
      const n = toNumber(row.n);
      const correct = toNumber(row.correct);
      const kind = row.kind === "ai" ? ("ai" as const) : ("human" as const);
      return {
        id: row.judge,
        label: kind === "ai" ? row.judge : judgeLabel(row.judge),
        kind,
        n,
        correct,
        accuracy: n > 0 ? correct / n : 0,
        meanScore: n > 0 ? toNumber(row.score) / n : 0,
        medianTimeMs: null as number | null,
      };
    })
    .sort((a, b) => b.meanScore - a.meanScore || b.n - a.n || a.label.localeCompare(b.label));
  const judges = ranked.slice(0, judgeLimit);
  if (judges.length > 0) {
    const medians = await db.$queryRaw<Array<{ judge: string; medianMs: unknown }>>(
      judgeMediansQuery(
        scope,
        judges.map((j) => j.id),
      ),
    );
    const byJudge = new Map(medians.map((m) => [m.judge, toNullableNumber(m.medianMs)]));
    for (const judge of judges) judge.medianTimeMs = byJudge.get(judge.id) ?? null;
  }

  const byQuestion: QuestionRow[] = topRows
    .map((row) => {
      const mine = details.filter((d) => d.questionId === row.questionId);
      const correct = mine.reduce((sum, d) => sum + toNumber(d.correct), 0);
      return {
        questionId: row.questionId,
        text: textOf.get(row.questionId) ?? "",
        ...accuracyCell(correct, toNumber(row.n)),
        byCondition: mine
          .map((d) => ({ condition: d.condition, n: toNumber(d.n), correct: toNumber(d.correct) }))
          .sort((a, b) => (order.get(a.condition) ?? 0) - (order.get(b.condition) ?? 0)),
      };
    })
    // Most judged first; the hardest first among equals.
    .sort((a, b) => b.n - a.n || (a.accuracy ?? 0) - (b.accuracy ?? 0) || a.questionId.localeCompare(b.questionId));

  const games = ratingOutcomes(outcomes);
  const fit = games.length > 0 ? bradleyTerry(games) : null;

  return {
    studyId,
    filters: scope.filters,
    generatedAt: new Date().toISOString(),
    verdicts,
    conditions,
    excluded: finishExclusions(studyExcluded, verdicts),
    pending,
    consultancy: [...consultancy.entries()].map(
      ([condition, split]): ConsultancySplit => ({
        condition,
        honest: accuracyCell(split.honest[1], split.honest[0]),
        dishonest: accuracyCell(split.dishonest[1], split.dishonest[0]),
      }),
    ),
    byRounds: [...rounds.values()]
      .map((r) => ({ ...r, ...accuracyCell(r.correct, r.n) }))
      .sort((a, b) => (order.get(a.condition) ?? 0) - (order.get(b.condition) ?? 0) || a.rounds - b.rounds),
    byQuestion,
    questionCount: [...perQuestion.values()].filter((n) => n > 0).length,
    judges,
    judgeCount: ranked.length,
    debaters: [...models.values()].sort((a, b) => a.model.localeCompare(b.model)),
    ratings: fit ? { ratings: fit.ratings, games: games.length } : null,
  };
}

function tallySeat(
  models: Map<string, DebaterRow>,
  seat: Pick<DebaterSeat, "option" | "model" | "honest">,
  group: { count: number; chosen: number; gold: number },
): void {
  let row = models.get(seat.model);
  if (!row) {
    row = { model: seat.model, honest: { n: 0, wins: 0, rate: null }, dishonest: { n: 0, wins: 0, rate: null } };
    models.set(seat.model, row);
  }
  const honest = seat.honest ?? seat.option === group.gold;
  const side = honest ? row.honest : row.dishonest;
  side.n += group.count;
  if (seat.option === group.chosen) side.wins += group.count;
  side.rate = side.wins / side.n;
}
