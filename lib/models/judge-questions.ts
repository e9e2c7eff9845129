import type { JudgeQuestion } from "../debate/types";
import type { Seat } from "../debate/vocabulary";

/**
 * Which of the judge's questions a speaker owes an answer. Shared by the prompt builders (to tell a language model
 * to answer) and the offline debater (to answer itself), so both read the same rule.
 */

/**
 * The questions the speaker in `seat` must address in `round`: those asked after the previous round, addressed to
 * every speaker or to `seat`, in the order they were asked. Older questions were due in earlier rounds.
 */
export function openQuestions(
  questions: readonly JudgeQuestion[] | undefined,
  seat: Seat,
  round: number,
): JudgeQuestion[] {
  return (questions ?? []).filter((q) => q.afterRound === round - 1 && (q.to === undefined || q.to === seat));
}
