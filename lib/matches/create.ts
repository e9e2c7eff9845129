import { randomInt } from "node:crypto";
import type { Db } from "../db/client";
import { type MatchConfigInput, matchConfigSchema } from "../debate/config";
import type { DebaterSeat } from "../debate/types";
import { CruxError } from "../errors";
import { DEFAULT_DEBATER } from "../models/resolver";
import { pickRandomQuestion } from "../questions/queries";
import { mulberry32 as seeded } from "../random";
import { createMatch } from "./repository";

export interface NewMatchOptions {
  /** A question id, or omitted for a random one from `source`. */
  questionId?: string;
  source?: string;
  judgeId?: string | null;
  judgeModel?: string | null;
  debaterModels?: [string, string];
  seed?: number;
  config?: Omit<MatchConfigInput, "seed" | "firstSpeaker">;
}

/**
 * Sets up a debate: picks the question, draws the seed, and assigns seats to options at random (recorded, so
 * the assignment is reproducible and analysable). Seat A's option and who speaks first both come from the seed.
 */
export async function createDebateMatch(db: Db, options: NewMatchOptions): Promise<{ id: string; seed: number }> {
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const questionId =
    options.questionId ??
    (await pickRandomQuestion(db, { source: options.source ?? "quality", random: seeded(seed) }))?.id;
  if (!questionId) throw new CruxError("NOT_FOUND", "No questions found: seed the question bank first.");
  const question = await db.question.findUnique({ where: { id: questionId }, select: { id: true } });
  if (!question) throw new CruxError("NOT_FOUND", `No question with id ${questionId}.`);

  const random = seeded(seed ^ 0x5bd1e995);
  const aOption = random() < 0.5 ? 0 : 1;
  const [modelA, modelB] = options.debaterModels ?? [DEFAULT_DEBATER, DEFAULT_DEBATER];
  const debaters: DebaterSeat[] = [
    { seat: "A", option: aOption, model: modelA },
    { seat: "B", option: 1 - aOption, model: modelB },
  ];
  const config = matchConfigSchema.parse({ ...options.config, firstSpeaker: random() < 0.5 ? "A" : "B", seed });
  const match = await createMatch(db, {
    questionId,
    config,
    debaters,
    judgeId: options.judgeId ?? null,
    judgeModel: options.judgeModel ?? null,
  });
  return { id: match.id, seed };
}
