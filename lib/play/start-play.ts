import { randomInt } from "node:crypto";
import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { type StartMatchInput, startJudgeMatch } from "../matches/start-guest-match";
import { pickRandomQuestion } from "../questions/queries";
import { listQuestionsReservedByStudies } from "../studies/reserved-questions";
import { listQuestionsSeenBy, quickPlayProtocol } from "./quick-play";

/**
 * Free play's one way to start a match (the home page's Play and `POST /api/matches`): a match judged by
 * `judgeId`, never on a question — or a story — that a launched study uses. A random pick leaves those out; a
 * request for one by id is refused, in the same words as an unknown id, so the refusal does not tell which
 * questions studies use. Quick play (`quick`) draws the format among QUICK_PLAY_PROTOCOLS and a question the player
 * has not judged yet (any allowed one once they have seen them all), and marks the match's config `quickPlay`. The
 * tutorial (`tutorial`) is a short debate on a question the player has not judged, marked `tutorial`.
 */
export async function startPlayMatch(db: Db, input: StartMatchInput & { judgeId: string }): Promise<{ id: string }> {
  const reserved = await listQuestionsReservedByStudies(db);
  if (input.questionId && reserved.includes(input.questionId))
    throw new CruxError("NOT_FOUND", `No question with id ${input.questionId}.`);
  if (!input.quick && !input.tutorial) return startJudgeMatch(db, { ...input, excludeQuestionIds: reserved });
  const seen = await listQuestionsSeenBy(db, input.judgeId);
  const source = input.source ?? "quality";
  const skip = [...reserved, ...seen];
  const fresh = await pickRandomQuestion(db, { source, excludeIds: skip });
  const questionId = fresh?.id ?? (await pickRandomQuestion(db, { source, excludeIds: reserved }))?.id;
  return startJudgeMatch(db, {
    ...input,
    questionId: questionId ?? undefined,
    protocol: input.tutorial ? "debate" : quickPlayProtocol(randomInt(0, 1_000_000) / 1_000_000),
    excludeQuestionIds: reserved,
  });
}
