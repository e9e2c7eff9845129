import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";

/**
 * StudyVerdict: the flat copy of a study match's verdict that the results page aggregates (see schema.prisma).
 * Every place that writes a verdict calls {@link recordStudyVerdict} in the same transaction, so the copy exists
 * exactly when the verdict does; a play match (no study) gets none. The copy is one INSERT … SELECT, identical on
 * SQLite and PostgreSQL, and a second call for the same match does nothing. It lives with the verdict writes
 * (lib/matches, also called by lib/import); lib/analysis only reads the copy.
 */

type Tx = Pick<Db, "$executeRaw">;

/** Copies the verdict of match `matchId` into StudyVerdict when the match belongs to a study. */
export async function recordStudyVerdict(tx: Tx, matchId: string): Promise<void> {
  await tx.$executeRaw(studyVerdictInsert(Prisma.sql`m."id" = ${matchId}`));
}

/** The INSERT … SELECT copying the verdicts of the study matches that satisfy `where` (on `m`, the match). */
export function studyVerdictInsert(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`INSERT INTO "StudyVerdict" ("matchId", "studyId", "condition", "protocol", "practice", "judgeKey",
      "judgeId", "questionId", "debaters", "probabilities", "chosen", "correct", "score", "rounds", "timeTakenMs", "at")
    SELECT m."id", m."studyId", m."condition", m."protocol", m."practice", COALESCE(m."judgeId", m."judgeModel", 'unknown'),
      m."judgeId", m."questionId", m."debaters", v."probabilities", v."chosen", v."correct", v."score", v."rounds",
      v."timeTakenMs", v."createdAt"
    FROM "Match" m JOIN "Verdict" v ON v."matchId" = m."id"
    WHERE m."studyId" IS NOT NULL AND ${where}
    ON CONFLICT ("matchId") DO NOTHING`;
}
