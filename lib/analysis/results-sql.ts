import { Prisma } from "../db/generated/client";
import { filterRange, type ResultsFilters } from "./results-schema";

/**
 * The SQL behind the results page: GROUP BY aggregates that return a few hundred rows however many verdicts there
 * are, written to run unchanged on SQLite and PostgreSQL — quoted camelCase identifiers, `CASE WHEN` instead of
 * boolean arithmetic, ordinal GROUP BY, standard window functions, no JSON functions. JSON columns (a verdict's
 * probabilities, a match's debaters) are only grouped on, never looked into: judges' probabilities come from a
 * slider and debaters from a handful of models, so they take few distinct values, and each distinct value is
 * parsed once in JavaScript. `bench/analysis.ts` runs these same statements directly to measure the overhead.
 */

/** Who judged: the human judge's user id, else the AI judge's model spec. */
export const JUDGE_KEY = Prisma.sql`COALESCE(m."judgeId", m."judgeModel", 'unknown')`;

/** Statuses of participants whose completed matches are left out of the analysis. */
export const EXCLUDED_PARTICIPANT_STATUSES = ["failed_check", "removed"] as const;

/** What the queries need besides the filters: the study and, with a tag filter, the question ids that match. */
export interface QueryScope {
  studyId: string;
  filters: ResultsFilters;
  /** null: no tag filter. */
  questionIds: string[] | null;
}

const correctSum = Prisma.sql`SUM(CASE WHEN v."correct" THEN 1 ELSE 0 END)`;

function excludedJudges(studyId: string): Prisma.Sql {
  return Prisma.sql`(SELECT p."userId" FROM "Participant" p WHERE p."studyId" = ${studyId} AND p."status" IN (${Prisma.join([...EXCLUDED_PARTICIPANT_STATUSES])}))`;
}

/** The filters as `AND …` conditions on `m` (the match), placing each match in time by `time`. */
function filterConditions(scope: QueryScope, time: Prisma.Sql): Prisma.Sql {
  const { filters, questionIds } = scope;
  const parts: Prisma.Sql[] = [];
  const range = filterRange(filters);
  if (range.from) parts.push(Prisma.sql`${time} >= ${range.from}`);
  if (range.to) parts.push(Prisma.sql`${time} < ${range.to}`);
  if (filters.judge) parts.push(Prisma.sql`${JUDGE_KEY} = ${filters.judge}`);
  if (filters.condition.length > 0) parts.push(Prisma.sql`m."condition" IN (${Prisma.join(filters.condition)})`);
  if (questionIds)
    parts.push(
      questionIds.length > 0 ? Prisma.sql`m."questionId" IN (${Prisma.join(questionIds)})` : Prisma.sql`1 = 0`,
    );
  if (filters.judgeKind === "human") parts.push(Prisma.sql`m."judgeId" IS NOT NULL`);
  if (filters.judgeKind === "ai") parts.push(Prisma.sql`m."judgeId" IS NULL AND m."judgeModel" IS NOT NULL`);
  return parts.length > 0 ? Prisma.sql` AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/**
 * The conditions on `m` (match) and `v` (verdict) for analysed verdicts: the study's complete, non-practice matches,
 * minus those of participants who failed the check or were removed, after the filters (time = the verdict's).
 */
function analysedWhere(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`m."studyId" = ${scope.studyId} AND m."status" = 'complete' AND NOT m."practice"
      AND (m."judgeId" IS NULL OR m."judgeId" NOT IN ${excludedJudges(scope.studyId)})${filterConditions(scope, Prisma.sql`v."createdAt"`)}`;
}

/** FROM … WHERE for the analysed verdicts (see analysedWhere). */
export function analysedFrom(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`FROM "Match" m JOIN "Verdict" v ON v."matchId" = m."id"
    WHERE ${analysedWhere(scope)}`;
}

/**
 * Every match of the study in one pass, as two kinds of rows (`part`):
 * - "outcome": by condition, protocol, what became of the match (`bucket`: included, practice, abandoned, errored,
 *   participant — judged by someone who failed the check or was removed —, pending), and for analysed ones rounds,
 *   debaters and chosen option; with counts, correct verdicts and summed scores. Feeds the per-condition table,
 *   exclusions, rounds, consultancy and debaters.
 * - "forecast": analysed verdicts by condition, chosen option, correctness and final probabilities (calibration).
 * The join and the big sort happen once, into a small materialised grouping both parts are summed from. Matches
 * without a verdict are placed in time by when they ended (or were created).
 */
export function outcomesQuery(scope: QueryScope): Prisma.Sql {
  const time = Prisma.sql`COALESCE(v."createdAt", m."endedAt", m."createdAt")`;
  return Prisma.sql`WITH "fine" AS MATERIALIZED (
      SELECT m."condition" AS "condition", m."protocol" AS "protocol",
        CASE WHEN m."practice" THEN 'practice'
          WHEN m."status" = 'abandoned' THEN 'abandoned'
          WHEN m."status" = 'errored' THEN 'errored'
          WHEN m."status" <> 'complete' OR v."id" IS NULL THEN 'pending'
          WHEN m."judgeId" IN ${excludedJudges(scope.studyId)} THEN 'participant'
          ELSE 'included' END AS "bucket",
        v."rounds" AS "rounds", m."debaters" AS "debaters", v."chosen" AS "chosen",
        CASE WHEN v."correct" THEN 1 ELSE 0 END AS "ok", v."probabilities" AS "probabilities",
        COUNT(*) AS "n", SUM(v."score") AS "score"
      FROM "Match" m LEFT JOIN "Verdict" v ON v."matchId" = m."id"
      WHERE m."studyId" = ${scope.studyId}${filterConditions(scope, time)}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    )
    SELECT 'outcome' AS "part", "condition", "protocol", "bucket", "rounds", "debaters", "chosen",
      NULL AS "ok", NULL AS "probabilities", SUM("n") AS "n", SUM("ok" * "n") AS "correct", SUM("score") AS "score"
    FROM "fine" GROUP BY "condition", "protocol", "bucket", "rounds", "debaters", "chosen"
    UNION ALL
    SELECT 'forecast', "condition", NULL, NULL, NULL, NULL, "chosen", "ok", "probabilities", SUM("n"), NULL, NULL
    FROM "fine" WHERE "bucket" = 'included' GROUP BY "condition", "chosen", "ok", "probabilities"`;
}

/** Per judge: judgments, correct verdicts and summed score. */
export function judgesQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT ${JUDGE_KEY} AS "judge", MAX(CASE WHEN m."judgeId" IS NULL THEN 'ai' ELSE 'human' END) AS "kind",
      COUNT(*) AS "n", ${correctSum} AS "correct", SUM(v."score") AS "score"
    ${analysedFrom(scope)}
    GROUP BY 1`;
}

/**
 * The median time per judgment of the given judges: the middle one or two of each judge's times, found with
 * standard window functions (SQL has no portable MEDIAN). Window sorts are the dearest part of the results, so
 * this runs for the leaderboard's judges only.
 */
export function judgeMediansQuery(scope: QueryScope, judges: string[]): Prisma.Sql {
  return Prisma.sql`SELECT t."judge" AS "judge", AVG(t."ms") AS "medianMs"
    FROM (
      SELECT ${JUDGE_KEY} AS "judge", v."timeTakenMs" AS "ms",
        ROW_NUMBER() OVER (PARTITION BY ${JUDGE_KEY} ORDER BY v."timeTakenMs") AS "rn",
        COUNT(*) OVER (PARTITION BY ${JUDGE_KEY}) AS "c"
      ${analysedFrom(scope)} AND ${JUDGE_KEY} IN (${Prisma.join(judges)})
    ) t
    WHERE t."rn" IN ((t."c" + 1) / 2, (t."c" + 2) / 2)
    GROUP BY t."judge"`;
}

/**
 * The `limit` most-judged questions, with the number of questions judged at all. Without a time filter this reads
 * the match index alone (a complete match always has its verdict); with one it needs the verdicts' times.
 */
export function topQuestionsQuery(scope: QueryScope, limit: number): Prisma.Sql {
  const range = filterRange(scope.filters);
  const from =
    range.from || range.to
      ? analysedFrom(scope)
      : Prisma.sql`FROM "Match" m
    WHERE m."studyId" = ${scope.studyId} AND m."status" = 'complete' AND NOT m."practice"
      AND (m."judgeId" IS NULL OR m."judgeId" NOT IN ${excludedJudges(scope.studyId)})${filterConditions(scope, Prisma.empty)}`;
  return Prisma.sql`SELECT m."questionId" AS "questionId", COUNT(*) AS "n", COUNT(*) OVER () AS "questions"
    ${from}
    GROUP BY m."questionId"
    ORDER BY COUNT(*) DESC, m."questionId" ASC
    LIMIT ${limit}`;
}

/** The given questions' judgments by condition (the question test runs on the match index, before the join). */
export function questionDetailQuery(scope: QueryScope, questionIds: string[]): Prisma.Sql {
  return Prisma.sql`SELECT m."questionId" AS "questionId", m."condition" AS "condition", COUNT(*) AS "n",
      ${correctSum} AS "correct"
    ${analysedFrom(scope)} AND m."questionId" IN (${Prisma.join(questionIds)})
    GROUP BY 1, 2`;
}

/** The given questions' text. */
export function questionTextQuery(questionIds: string[]): Prisma.Sql {
  return Prisma.sql`SELECT q."id" AS "id", q."text" AS "text" FROM "Question" q WHERE q."id" IN (${Prisma.join(questionIds)})`;
}

/** Judgments by (judge, question, condition): all a cluster bootstrap or permutation test of accuracy needs. */
export function cellsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT ${JUDGE_KEY} AS "judge", m."questionId" AS "question", m."condition" AS "condition",
      COUNT(*) AS "n", ${correctSum} AS "correct"
    ${analysedFrom(scope)}
    GROUP BY 1, 2, 3`;
}

/**
 * What the resampling cache is keyed on besides the filters: the study's verdicts, counted as its complete matches
 * (a verdict and the status are written together, so no join is needed), and its participants who failed the
 * check or were removed (removing one changes what is analysed). A new verdict or removal invalidates the cache.
 */
export function verdictCountQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT COUNT(*) AS "n", (SELECT COUNT(*) FROM ${excludedJudges(studyId)} x) AS "excluded"
    FROM "Match" m WHERE m."studyId" = ${studyId} AND m."status" = 'complete'`;
}

/** The distinct tag lists of the study's questions (for the tag filter), and each question's tags. */
export function questionTagsQuery(studyId: string): Prisma.Sql {
  return Prisma.sql`SELECT q."id" AS "id", q."tags" AS "tags" FROM "Question" q
    WHERE q."id" IN (SELECT m."questionId" FROM "Match" m WHERE m."studyId" = ${studyId})`;
}

/** The conditions with analysed verdicts and their protocols. */
export function conditionsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT m."condition" AS "condition", m."protocol" AS "protocol", COUNT(*) AS "n"
    ${analysedFrom(scope)}
    GROUP BY 1, 2`;
}
