import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { scoringConfigSchema } from "../debate/config";
import { everyRuleScore } from "../debate/scoring";
import { SCORING_RULES, type ScoringRule } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { resolveScope } from "./results";
import { json, toNumber } from "./results-rows";
import type { ResultsFilters } from "./results-schema";
import { analysedFrom, type QueryScope } from "./results-sql";
import { type MeanInterval, meanWithInterval } from "./student-t";

/**
 * The results' "Scores" table: every condition's analysed verdicts scored under every rule (log, quadratic,
 * spherical; lib/debate/scoring.ts) with the condition's round cost, whichever rule it pays by — the mean and its
 * 95% t interval. Recomputed from the final probabilities and rounds, so it does not depend on the score stored with
 * each verdict (verdicts stored before scoring rules existed hold ln scores).
 */

/** One condition's line: the rule it pays by, its round cost, and the mean score under each rule. */
export interface ConditionScores {
  condition: string;
  paid: ScoringRule;
  roundCost: number;
  scores: Record<ScoringRule, MeanInterval>;
}

const designSchema = z.object({
  conditions: z
    .array(z.object({ name: z.string(), scoring: scoringConfigSchema.catch({ rule: "log", roundCost: 0 }) }))
    .catch([]),
});

/** Analysed verdicts by condition, chosen option, correctness, rounds and final probabilities. */
function scoreRowsQuery(scope: QueryScope): Prisma.Sql {
  return Prisma.sql`SELECT s."condition" AS "condition", s."chosen" AS "chosen",
      CASE WHEN s."correct" THEN 1 ELSE 0 END AS "ok", s."rounds" AS "rounds", s."probabilities" AS "probabilities",
      COUNT(*) AS "n"
    ${analysedFrom(scope)}
    GROUP BY 1, 2, 3, 4, 5`;
}

interface ScoreRow {
  condition: string | null;
  chosen: unknown;
  ok: unknown;
  rounds: unknown;
  probabilities: unknown;
  n: unknown;
}

/** The scores of every designed condition (then any other with verdicts) under the results' filters. */
export async function getStudyScores(db: Db, studyId: string, filters: ResultsFilters): Promise<ConditionScores[]> {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { config: true } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  const design = designSchema.parse(study.config).conditions;
  const scope = await resolveScope(db, studyId, filters);
  const rows = await db.$queryRaw<ScoreRow[]>(scoreRowsQuery(scope));
  return tallyScores(rows, design, filters.condition);
}

/** Pure: the rows scored and summed per condition (designed conditions first, those in `only` when it is set). */
export function tallyScores(
  rows: Iterable<ScoreRow>,
  design: ReadonlyArray<{ name: string; scoring: { rule: ScoringRule; roundCost: number } }>,
  only: readonly string[] = [],
): ConditionScores[] {
  const byName = new Map<string, { paid: ScoringRule; roundCost: number; values: number[][]; weights: number[] }>();
  const add = (name: string, paid: ScoringRule = "log", roundCost = 0) => {
    let entry = byName.get(name);
    if (!entry) {
      entry = { paid, roundCost, values: SCORING_RULES.map(() => []), weights: [] };
      byName.set(name, entry);
    }
    return entry;
  };
  for (const c of design)
    if (only.length === 0 || only.includes(c.name)) add(c.name, c.scoring.rule, c.scoring.roundCost);
  for (const row of rows) {
    if (row.condition === null) continue;
    const entry = add(row.condition);
    const probabilities = json(row.probabilities);
    if (!Array.isArray(probabilities)) continue;
    // Two options: the correct one is the chosen one when the judge was right, else the other.
    const chosen = toNumber(row.chosen);
    const gold = toNumber(row.ok) ? chosen : 1 - chosen;
    let scores: Record<ScoringRule, number>;
    try {
      scores = everyRuleScore(probabilities.map(Number), gold, {
        roundsUsed: Math.max(1, toNumber(row.rounds)),
        roundCost: entry.roundCost,
      });
    } catch {
      continue; // malformed imported probabilities: left out, as calibration leaves them out
    }
    if (!SCORING_RULES.every((rule) => Number.isFinite(scores[rule]))) continue;
    SCORING_RULES.forEach((rule, i) => {
      entry.values[i]?.push(scores[rule]);
    });
    entry.weights.push(toNumber(row.n));
  }
  return [...byName.entries()].map(([condition, entry]) => ({
    condition,
    paid: entry.paid,
    roundCost: entry.roundCost,
    scores: Object.fromEntries(
      SCORING_RULES.map((rule, i) => [rule, meanWithInterval(entry.values[i] ?? [], entry.weights)]),
    ) as Record<ScoringRule, MeanInterval>,
  }));
}
