import type { Db } from "../db/client";
import { listQuestionsSharingPassages } from "../questions/queries";
import { frozenStudySchema } from "./config";
import { listRecordedSourceQuestions } from "./recorded-sources";
import { LAUNCHED_STUDY_STATUSES } from "./vocabulary";

/**
 * Every question a launched study uses, in any of its versions — its pool, practice and qualification questions and
 * the questions of the debates its recorded conditions replay —
 * and every other question on the same stories: what free play must never serve. A guest could otherwise look up a
 * study question's answer in a private window (a no-help match reveals the correct answer after one click, and any
 * match on a story reveals the story).
 */
export async function listQuestionsReservedByStudies(db: Db): Promise<string[]> {
  const versions = await db.studyVersion.findMany({
    where: { study: { status: { in: [...LAUNCHED_STUDY_STATUSES] } } },
    select: { config: true },
  });
  const ids = new Set<string>();
  for (const version of versions) {
    const frozen = frozenStudySchema.parse(version.config);
    for (const id of frozen.questionIds) ids.add(id);
    for (const id of frozen.qualificationQuestionIds) ids.add(id);
    if (frozen.practiceQuestionId) ids.add(frozen.practiceQuestionId);
    for (const id of await listRecordedSourceQuestions(db, frozen)) ids.add(id);
  }
  return listQuestionsSharingPassages(db, [...ids]);
}
