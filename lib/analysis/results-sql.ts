import { Prisma } from "../db/generated/client";
import { TIE_CREDIT } from "../debate/scoring";
import { RECORDED_PROTOCOL } from "../debate/vocabulary";
import { type CorrectionTargetKind, EXCLUDED_PARTICIPANT_STATUSES } from "../studies/vocabulary";
import { filterRange, type ResultsFilters } from "./results-schema";

/**
 * The SQL behind the results page: GROUP BY aggregates that return a few thousand rows however many verdicts there
 * are, written to run unchanged on SQLite and PostgreSQL — quoted camelCase identifiers, `CASE WHEN` instead of
 * boolean arithmetic, ordinal GROUP BY, standard window functions, no JSON functions. Verdicts are read from
 * StudyVerdict (one flat row per verdict, lib/matches/study-verdicts.ts), so no query joins; matches without a verdict
 * (unfinished, abandoned, errored) from the Match index. JSON columns (a verdict's probabilities, a match's
 * debaters) are only grouped on, never looked into: judges' probabilities come from a slider and debaters from a
 * handful of models, so they take few distinct values, and each distinct value is parsed once in JavaScript.
 *
 * The verdict aggregates take a `seq` range, so ./results.ts can add the rows written since its last read to what it
 * already has instead of reading them all again. `bench/analysis.ts` runs these statements directly to measure.
 */

/** Who judged: the human judge's user id, else the AI judge's model spec (StudyVerdict.judgeKey holds the same). */
const JUDGE_KEY = Prisma.sql`COALESCE(m."judgeId", m."judgeModel", 'unknown')`;

/**
 * What the queries need besides the filters: the study and, with a tag filter, each wanted tag (lower case) with the
 * study's questions that carry it. A verdict passes when every tag is on its question or on its match (MatchTag:
 * imported debates' tags).
 */
export interface QueryScope {
  studyId: string;
  filters: ResultsFilters;
  /** null: no tag filter. */
  tags: Array<{ tag: string; questionIds: string[] }> | null;
}

/** StudyVerdict rows with `after < seq <= upTo` (either end open when absent). */
export interface SeqRange {
  after?: number;
  upTo?: number;
}

/** Accuracy credit summed: 1 per correct verdict, TIE_CREDIT (half) per tie — `chosen` null (lib/debate/scoring.ts). */
// Real literals throughout: SQLite's driver adapter reads a column as integer when its first value is one, which would
// truncate a half.
const correctSum = Prisma.sql`SUM(CASE WHEN s."correct" THEN 1.0 WHEN s."chosen" IS NULL THEN ${Prisma.raw(TIE_CREDIT.toFixed(1))} ELSE 0.0 END)`;
const tieSum = Prisma.sql`SUM(CASE WHEN s."chosen" IS NULL THEN 1 ELSE 0 END)`;

function excludedJudges(studyId: string): Prisma.Sql {
  return Prisma.sql`(SELECT p."userId" FROM "Participant" p WHERE p."studyId" = ${studyId} AND p."status" IN (${Prisma.join([...EXCLUDED_PARTICIPANT_STATUSES])}))`;
}

/**
 * The targets of `kinds` whose latest correction (highest id) is an `exclude`: `column` of those corrections
 * (lib/studies/corrections.ts, correctedTargets, is the same rule in JavaScript).
 */
function excludedByCorrection(studyId: string, kinds: readonly CorrectionTargetKind[], column: string): Prisma.Sql {
  return Prisma.sql`SELECT c.${Prisma.raw(`"${column}"`)} FROM "Correction" c
    WHERE c."studyId" = ${studyId} AND c."targetKind" IN (${Prisma.join([...kinds])}) AND c."kind" = 'exclude'
      AND c.${Prisma.raw(`"${column}"`)} IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "Correction" l WHERE l."studyId" = c."studyId" AND l."targetKind" = c."targetKind"
        AND l."targetId" = c."targetId" AND l."id" > c."id")`;
}

/** The matches whose verdict a correction excludes (the match itself, or its verdict). */
function correctedMatches(studyId: string): Prisma.Sql {
  return Prisma.sql`(${excludedByCorrection(studyId, ["match", "verdict"], "matchId")})`;
}

/** The user ids of the participants a correction excludes. */
function correctedJudges(studyId: string): Prisma.Sql {
  return Prisma.sql`(SELECT p."userId" FROM "Participant" p
    WHERE p."studyId" = ${studyId} AND p."id" IN (${excludedByCorrection(studyId, ["participant"], "targetId")}))`;
}

/** Whether the StudyVerdict row `s` is left out by a correction (its match, verdict or judge excluded). */
function corrected(studyId: string): Prisma.Sql {
  return Prisma.sql`(s."matchId" IN ${correctedMatches(studyId)}
    OR (s."judgeId" IS NOT NULL AND s."judgeId" IN ${correctedJudges(studyId)}))`;
}

/** The user ids of the study's participants who failed the check or were removed. */
export function excludedJudgesQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT x."userId" AS "id" FROM ${excludedJudges(studyId)} x ORDER BY 1`;
}

/** The filters as `AND …` conditions on a table aliased `alias`, with its judge key, judge id and time columns. */
function filterConditions(
  scope: QueryScope,
  columns: { judgeKey: Prisma.Sql; judgeId: Prisma.Sql; time: Prisma.Sql; matchId: Prisma.Sql; alias: string },
): Prisma.Sql {
  const { filters, tags } = scope;
  const a = Prisma.raw(columns.alias);
  const parts: Prisma.Sql[] = [];
  const range = filterRange(filters);
  if (range.from) parts.push(Prisma.sql`${columns.time} >= ${range.from}`);
  if (range.to) parts.push(Prisma.sql`${columns.time} < ${range.to}`);
  if (filters.judge) parts.push(Prisma.sql`${columns.judgeKey} = ${filters.judge}`);
  if (filters.condition.length > 0) parts.push(Prisma.sql`${a}."condition" IN (${Prisma.join(filters.condition)})`);
  for (const { tag, questionIds } of tags ?? []) {
    const onMatch = Prisma.sql`${columns.matchId} IN (SELECT mt."matchId" FROM "MatchTag" mt WHERE LOWER(mt."tag") = ${tag})`;
    parts.push(
      questionIds.length > 0
        ? Prisma.sql`(${a}."questionId" IN (${Prisma.join(questionIds)}) OR ${onMatch})`
        : Prisma.sql`${onMatch}`,
    );
  }
  if (filters.judgeKind === "human") parts.push(Prisma.sql`${columns.judgeId} IS NOT NULL`);
  if (filters.judgeKind === "ai")
    parts.push(Prisma.sql`${columns.judgeId} IS NULL AND ${columns.judgeKey} <> 'unknown'`);
  return parts.length > 0 ? Prisma.sql` AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

const verdictColumns = {
  judgeKey: Prisma.sql`s."judgeKey"`,
  judgeId: Prisma.sql`s."judgeId"`,
  time: Prisma.sql`s."at"`,
  matchId: Prisma.sql`s."matchId"`,
  alias: "s",
};

function seqConditions(range: SeqRange): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (range.after !== undefined) parts.push(Prisma.sql`s."seq" > ${range.after}`);
  if (range.upTo !== undefined) parts.push(Prisma.sql`s."seq" <= ${range.upTo}`);
  return parts.length > 0 ? Prisma.sql` AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/** The study's verdicts in `range` after the filters, practice and excluded participants included. */
function verdictsFrom(scope: QueryScope, range: SeqRange): Prisma.Sql {
  return Prisma.sql`FROM "StudyVerdict" s
    WHERE s."studyId" = ${scope.studyId}${seqConditions(range)}${filterConditions(scope, verdictColumns)}`;
}

/**
 * FROM … WHERE for the analysed verdicts: the study's verdicts in non-practice matches, minus those of participants
 * who failed the check or were removed and those a correction excludes, after the filters (time = the verdict's).
 */
export function analysedFrom(scope: QueryScope, range: SeqRange = {}): Prisma.Sql {
  return Prisma.sql`${verdictsFrom(scope, range)} AND NOT s."practice"
      AND (s."judgeId" IS NULL OR s."judgeId" NOT IN ${excludedJudges(scope.studyId)})
      AND NOT ${corrected(scope.studyId)}`;
}

/**
 * The study's verdicts in `range` as two kinds of rows (`part`):
 * - "outcome": by condition, protocol, what became of the match (`bucket`: included, practice, corrected — left out
 *   by a correction of its verdict, match or judge —, or participant — judged by someone who failed the check or was
 *   removed), rounds, debaters and chosen option; with counts,
 *   correct verdicts and summed scores. Feeds the per-condition table, exclusions, rounds, consultancy and debaters.
 * - "forecast": analysed verdicts by condition, chosen option, correctness and final probabilities (calibration).
 */
export function verdictGroupsQuery(scope: QueryScope, range: SeqRange = {}): Prisma.Sql {
  return Prisma.sql`SELECT 'outcome' AS "part", s."condition" AS "condition", s."protocol" AS "protocol",
      CASE WHEN s."practice" THEN 'practice'
        WHEN ${corrected(scope.studyId)} THEN 'corrected'
        WHEN s."judgeId" IN ${excludedJudges(scope.studyId)} THEN 'participant'
        ELSE 'included' END AS "bucket",
      s."rounds" AS "rounds", s."debaters" AS "debaters", s."chosen" AS "chosen",
      NULL AS "ok", NULL AS "probabilities", COUNT(*) AS "n", ${correctSum} AS "correct", SUM(s."score") AS "score"
    ${verdictsFrom(scope, range)}
    GROUP BY 2, 3, 4, 5, 6, 7
    UNION ALL
    SELECT 'forecast', s."condition", NULL, NULL, NULL, NULL, s."chosen",
      CASE WHEN s."correct" THEN 1 ELSE 0 END, s."probabilities", COUNT(*), NULL, NULL
    ${analysedFrom(scope, range)}
    GROUP BY 2, 7, 8, 9`;
}

/**
 * The study's matches without a verdict, by condition, protocol and what became of them (`bucket`: practice,
 * abandoned, errored, pending), placed in time by when they ended (or were created). Read from the
 * Match_study_status_idx index alone: the study's complete matches are skipped over, not read.
 */
export function unjudgedQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT m."condition" AS "condition", m."protocol" AS "protocol",
      CASE WHEN m."practice" THEN 'practice'
        WHEN m."status" = 'abandoned' THEN 'abandoned'
        WHEN m."status" = 'errored' THEN 'errored'
        ELSE 'pending' END AS "bucket",
      COUNT(*) AS "n"
    FROM "Match" m
    WHERE m."studyId" = ${scope.studyId} AND m."status" <> 'complete'${filterConditions(scope, {
      judgeKey: JUDGE_KEY,
      judgeId: Prisma.sql`m."judgeId"`,
      time: Prisma.sql`COALESCE(m."endedAt", m."createdAt")`,
      matchId: Prisma.sql`m."id"`,
      alias: "m",
    })}
    GROUP BY 1, 2, 3`;
}

/** Per judge: judgments, correct verdicts and summed score. */
export function judgesQuery(scope: QueryScope, range: SeqRange = {}): Prisma.Sql {
  return Prisma.sql`SELECT s."judgeKey" AS "judge", MAX(CASE WHEN s."judgeId" IS NULL THEN 'ai' ELSE 'human' END) AS "kind",
      COUNT(*) AS "n", ${correctSum} AS "correct", SUM(s."score") AS "score"
    ${analysedFrom(scope, range)}
    GROUP BY 1`;
}

/**
 * The median time per judgment of the given judges: the middle one or two of each judge's times, found with
 * standard window functions (SQL has no portable MEDIAN) over the (study, judge, time) index, so only the given
 * judges' rows are read, already in order.
 */
export function judgeMediansQuery(scope: QueryScope, judges: string[]): Prisma.Sql {
  return Prisma.sql`SELECT t."judge" AS "judge", AVG(t."ms") AS "medianMs"
    FROM (
      SELECT s."judgeKey" AS "judge", s."timeTakenMs" AS "ms",
        ROW_NUMBER() OVER (PARTITION BY s."judgeKey" ORDER BY s."timeTakenMs") AS "rn",
        COUNT(*) OVER (PARTITION BY s."judgeKey") AS "c"
      ${analysedFrom(scope)} AND s."judgeKey" IN (${Prisma.join(judges)})
    ) t
    WHERE t."rn" IN ((t."c" + 1) / 2, (t."c" + 2) / 2)
    GROUP BY t."judge"`;
}

/** Judgments and correct verdicts by question and condition. */
export function questionCellsQuery(scope: QueryScope, range: SeqRange = {}): Prisma.Sql {
  return Prisma.sql`SELECT s."questionId" AS "questionId", s."condition" AS "condition", COUNT(*) AS "n",
      ${correctSum} AS "correct"
    ${analysedFrom(scope, range)}
    GROUP BY 1, 2`;
}

/** The given questions' text. */
export function questionTextQuery(questionIds: string[]): Prisma.Sql {
  return Prisma.sql`SELECT q."id" AS "id", q."text" AS "text" FROM "Question" q WHERE q."id" IN (${Prisma.join(questionIds)})`;
}

/** Judgments by (judge, question, condition): all a cluster bootstrap or permutation test of accuracy needs. */
export function cellsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT s."judgeKey" AS "judge", s."questionId" AS "question", s."condition" AS "condition",
      COUNT(*) AS "n", ${correctSum} AS "correct", ${tieSum} AS "ties"
    ${analysedFrom(scope)}
    GROUP BY 1, 2, 3`;
}

/**
 * Where the study's verdicts stand: how many there are, the newest `seq`, and how many were written after `after`
 * (so a reader holding the aggregates up to `after` can tell whether rows appeared below it since — possible on
 * PostgreSQL, where sequence numbers are handed out before commit). One pass over the (study, seq) index.
 */
export function verdictWatermarkQuery(studyId: string, after: number): Prisma.Sql {
  return Prisma.sql`SELECT COUNT(*) AS "n", MAX(s."seq") AS "top",
      SUM(CASE WHEN s."seq" > ${after} THEN 1 ELSE 0 END) AS "newer"
    FROM "StudyVerdict" s WHERE s."studyId" = ${studyId}`;
}

/**
 * What the resampling cache is keyed on besides the filters: the study's verdicts, its participants who failed
 * the check or were removed (removing one changes what is analysed) and its corrections (append-only, so their
 * count changes with each one). A new verdict, removal or correction invalidates the cache.
 */
export function verdictCountQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT COUNT(*) AS "n", (SELECT COUNT(*) FROM ${excludedJudges(studyId)} x) AS "excluded",
      ${correctionCount(studyId)} AS "corrections"
    FROM "StudyVerdict" s WHERE s."studyId" = ${studyId}`;
}

function correctionCount(studyId: string): Prisma.Sql {
  return Prisma.sql`(SELECT COUNT(*) FROM "Correction" c WHERE c."studyId" = ${studyId})`;
}

/** How many corrections the study has (part of what kept aggregates are valid for). */
export function correctionCountQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT ${correctionCount(studyId)} AS "n"`;
}

/** The distinct tag lists of the study's questions (for the tag filter), and each question's tags. */
export function questionTagsQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT q."id" AS "id", q."tags" AS "tags" FROM "Question" q
    WHERE q."id" IN (SELECT m."questionId" FROM "Match" m WHERE m."studyId" = ${studyId})`;
}

/** The distinct tags of the study's matches (imported debates' tags). */
export function matchTagsQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT mt."tag" AS "tag" FROM "MatchTag" mt
    WHERE mt."matchId" IN (SELECT m."id" FROM "Match" m WHERE m."studyId" = ${studyId})`;
}

/** The conditions with analysed verdicts and their protocols. */
export function conditionsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT s."condition" AS "condition", s."protocol" AS "protocol", COUNT(*) AS "n"
    ${analysedFrom(scope)}
    GROUP BY 1, 2`;
}

/**
 * The analysed verdicts' outcome groups (verdictGroupsQuery's "outcome" rows with bucket "included", the only ones
 * the rating games come from), in that query's order, so that the games — and so the seeded bootstrap over them —
 * come out in the same order however they are read.
 */
export function ratingGroupsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT 'outcome' AS "part", s."condition" AS "condition", s."protocol" AS "protocol",
      'included' AS "bucket", s."rounds" AS "rounds", s."debaters" AS "debaters", s."chosen" AS "chosen",
      NULL AS "ok", NULL AS "probabilities", COUNT(*) AS "n", NULL AS "correct", NULL AS "score"
    ${analysedFrom(scope)}
    GROUP BY 2, 3, 5, 6, 7
    ORDER BY 2, 3, 5, 6, 7`;
}

/**
 * A recorded condition's analysed verdicts by source debate: how many, and their summed accuracy credit. (The source
 * comes from the match: StudyVerdict does not copy it.)
 */
export function recordedVerdictsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT t."condition" AS "condition", t."source" AS "source", COUNT(*) AS "n",
      SUM(t."credit") AS "correct"
    FROM (
      SELECT s."condition" AS "condition",
        (SELECT m."sourceMatchId" FROM "Match" m WHERE m."id" = s."matchId") AS "source",
        CASE WHEN s."correct" THEN 1.0 WHEN s."chosen" IS NULL THEN ${Prisma.raw(TIE_CREDIT.toFixed(1))} ELSE 0.0 END AS "credit"
      ${analysedFrom(scope)} AND s."protocol" = ${RECORDED_PROTOCOL}
    ) t
    WHERE t."source" IS NOT NULL
    GROUP BY 1, 2
    ORDER BY 1, 2`;
}
