import { randomInt } from "node:crypto";
import type { Db } from "../db/client";
import { type MatchConfigInput, matchConfigSchema } from "../debate/config";
import { seatsOf } from "../debate/protocols";
import type { DebaterSeat } from "../debate/types";
import { type OptionIndex, otherOption, type Seat } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { DEFAULT_DEBATER } from "../models/resolver";
import { pickRandomQuestion } from "../questions/queries";
import { mulberry32 as seeded } from "../random";
import { createMatch, type MatchStudyLink } from "./repository";

export interface NewMatchOptions {
  /** A question id, or omitted for a random one from `source`. */
  questionId?: string;
  source?: string;
  judgeId?: string | null;
  judgeModel?: string | null;
  debaterModels?: [string, string];
  seed?: number;
  config?: Omit<MatchConfigInput, "seed" | "firstSpeaker" | "optionOrder">;
  /** Counterbalanced set-up chosen by a study plan instead of the seeded draws (lib/studies/plan.ts matchSetup). */
  setup?: { aOption: OptionIndex; honest: boolean; firstSpeaker: Seat; optionOrder: OptionIndex[] };
  /** Study bookkeeping stored with the match. */
  study?: MatchStudyLink;
  /** Questions a random pick must not return (free play: those launched studies use). */
  excludeQuestionIds?: string[];
  /** A play request's idempotency key, stored with the match (unique: a second match with it fails). */
  requestKey?: string;
}

/**
 * Sets up a match of any protocol: picks the question, draws the seed, and from it everything that must be
 * random and recorded — which option each debater argues, whether a consultant is honest (half the time), who
 * speaks first, and the order the options appear on the judge's screen — so it is reproducible and analysable.
 */
export async function createDebateMatch(db: Db, options: NewMatchOptions): Promise<{ id: string; seed: number }> {
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const questionId =
    options.questionId ??
    (
      await pickRandomQuestion(db, {
        source: options.source ?? "quality",
        random: seeded(seed),
        excludeIds: options.excludeQuestionIds,
      })
    )?.id;
  if (!questionId) throw new CruxError("NOT_FOUND", "No questions found: seed the question bank first.");
  const question = await db.question.findUnique({ where: { id: questionId }, select: { id: true, gold: true } });
  if (!question) throw new CruxError("NOT_FOUND", `No question with id ${questionId}.`);

  const random = seeded(seed ^ 0x5bd1e995);
  const drawn: NonNullable<NewMatchOptions["setup"]> = {
    aOption: random() < 0.5 ? 0 : 1,
    firstSpeaker: random() < 0.5 ? "A" : "B",
    optionOrder: random() < 0.5 ? [0, 1] : [1, 0],
    honest: random() < 0.5,
  };
  const { aOption, firstSpeaker, optionOrder, honest } = options.setup ?? drawn;
  const config = matchConfigSchema.parse({ ...options.config, firstSpeaker, optionOrder, seed });
  const [modelA, modelB] = options.debaterModels ?? [DEFAULT_DEBATER, DEFAULT_DEBATER];
  const seats = seatsOf(config.protocol);
  const debaters: DebaterSeat[] =
    config.protocol === "consultancy"
      ? [{ seat: "A", option: honest ? question.gold : otherOption(question.gold), model: modelA, honest }]
      : [
          { seat: "A" as const, option: aOption, model: modelA },
          { seat: "B" as const, option: otherOption(aOption), model: modelB },
        ].filter((d) => seats.includes(d.seat));
  const match = await createMatch(db, {
    questionId,
    config,
    debaters,
    judgeId: options.judgeId ?? null,
    judgeModel: options.judgeModel ?? null,
    study: options.study,
    requestKey: options.requestKey,
  });
  return { id: match.id, seed };
}
