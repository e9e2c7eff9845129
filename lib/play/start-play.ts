import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { type StartMatchInput, startJudgeMatch } from "../matches/start-guest-match";
import { listQuestionsReservedByStudies } from "../studies/reserved-questions";

/**
 * Free play's one way to start a match (the home page's Play and `POST /api/matches`): a match judged by
 * `judgeId`, never on a question — or a story — that a launched study uses. A random pick leaves those out; a
 * request for one by id is refused, in the same words as an unknown id, so the refusal does not tell which
 * questions studies use.
 */
export async function startPlayMatch(db: Db, input: StartMatchInput & { judgeId: string }): Promise<{ id: string }> {
  const reserved = await listQuestionsReservedByStudies(db);
  if (input.questionId && reserved.includes(input.questionId))
    throw new CruxError("NOT_FOUND", `No question with id ${input.questionId}.`);
  return startJudgeMatch(db, { ...input, excludeQuestionIds: reserved });
}
