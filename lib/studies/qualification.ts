import type { Db } from "../db/client";
import { isSettledMatchStatus } from "../debate/vocabulary";
import { createConditionMatch } from "./assignment";
import { frozenStudySchema, type QualificationConfig, qualificationCondition } from "./config";
import { balanceFor } from "./plan";
import type { StudyVersionRecord } from "./repository";

/**
 * Judge screening: a participant's qualification matches, one at a time on the version's qualification questions
 * (known answers, outside the pool), then the pass rule. Qualification matches are practice matches (never
 * analysed) whose `planKey` is `qualification:<k>`, k the question's position, so a match that stopped on our side
 * or was abandoned is simply run again on the same question.
 */

const KEY_PREFIX = "qualification:";

/** The plan key of the k-th qualification match (0-based). */
export function qualificationKey(index: number): string {
  return `${KEY_PREFIX}${index}`;
}

/** Whether a match's plan key marks it as a qualification match. */
export function isQualificationKey(planKey: string | null | undefined): boolean {
  return planKey?.startsWith(KEY_PREFIX) ?? false;
}

/** What the judge scored on one qualification match. */
export interface QualificationResult {
  correct: boolean;
  score: number;
}

/**
 * The pass rule over the finished qualification matches: the share correct (`accuracy`) or the mean score
 * (`meanScore`) must reach the threshold. No results (a block of zero matches) passes.
 */
export function passesQualification(
  rule: Pick<QualificationConfig, "rule" | "threshold">,
  results: readonly QualificationResult[],
): boolean {
  if (results.length === 0) return true;
  const value =
    rule.rule === "accuracy"
      ? results.filter((r) => r.correct).length / results.length
      : results.reduce((total, r) => total + r.score, 0) / results.length;
  // A hair of tolerance so that e.g. 2 of 3 meets a threshold typed as 0.6667.
  return value >= rule.threshold - 1e-9;
}

/** Where a participant stands in the qualification block. */
export interface QualificationState {
  total: number;
  /** Qualification matches judged to the end. */
  done: number;
  /**
   * The match on screen: one being played, or the last one if it finished or stopped on our side (until the
   * participant moves on). Null before the first match and after an abandoned one (the next "continue" reruns it).
   */
  current: { matchId: string; complete: boolean; errored: boolean; settled: boolean } | null;
  results: QualificationResult[];
}

/** The participant's qualification matches and their results, in question order. */
export async function qualificationState(
  db: Db,
  version: StudyVersionRecord,
  judgeId: string,
): Promise<QualificationState> {
  const matches = await db.match.findMany({
    where: { judgeId, studyVersionId: version.id, practice: true, planKey: { startsWith: KEY_PREFIX } },
    select: { id: true, status: true, verdict: { select: { correct: true, score: true } } },
    orderBy: { createdAt: "asc" },
  });
  const results = matches.flatMap((m) => (m.status === "complete" && m.verdict ? [m.verdict] : []));
  const last = matches.at(-1);
  const current =
    last && last.status !== "abandoned"
      ? {
          matchId: last.id,
          complete: last.status === "complete",
          errored: last.status === "errored",
          settled: isSettledMatchStatus(last.status),
        }
      : null;
  return { total: version.frozen.qualificationQuestionIds.length, done: results.length, current, results };
}

/**
 * Starts the participant's next qualification match (on the question after the ones they finished; a match that
 * stopped or was abandoned is run again on its question, with a new seed).
 */
export async function startQualificationMatch(
  db: Db,
  version: StudyVersionRecord,
  participant: { id: string; userId: string },
  state: QualificationState,
): Promise<void> {
  const condition = qualificationCondition(version.frozen.config);
  const questionId = version.frozen.qualificationQuestionIds[state.done];
  if (!condition || !questionId) return;
  const attempts = await db.match.count({
    where: { judgeId: participant.userId, studyVersionId: version.id, planKey: qualificationKey(state.done) },
  });
  const question = await db.question.findUniqueOrThrow({ where: { id: questionId }, select: { gold: true } });
  await createConditionMatch(db, version, condition, {
    questionId,
    gold: question.gold,
    balance: balanceFor(state.done),
    judgeId: participant.userId,
    link: { practice: true, planKey: qualificationKey(state.done) },
    seedParts: ["qualification", participant.id, state.done, attempts],
  });
}

/** How the study's qualification blocks went: participants who passed and who were screened out. */
export interface QualificationCounts {
  passed: number;
  failed: number;
}

/**
 * Counts over every version of the study with a qualification block (null when none has one): screened out, and
 * passed — on to the matches or survey, or finished as completed or turned away full (which only happens after).
 * A participant removed by a researcher counts in neither.
 */
export async function qualificationCounts(db: Db, studyId: string): Promise<QualificationCounts | null> {
  const versions = await db.studyVersion.findMany({ where: { studyId }, select: { id: true, config: true } });
  const screening = versions.filter((v) => frozenStudySchema.safeParse(v.config).data?.qualificationQuestionIds.length);
  if (screening.length === 0) return null;
  const versionId = { in: screening.map((v) => v.id) };
  const [failed, passed] = await Promise.all([
    db.participant.count({ where: { versionId, status: "screened_out" } }),
    db.participant.count({
      where: {
        versionId,
        OR: [{ status: "active", stage: { in: ["matches", "survey"] } }, { status: { in: ["completed", "full"] } }],
      },
    }),
  ]);
  return { passed, failed };
}
