import type { Db } from "../db/client";
import type { Protocol } from "../debate/vocabulary";
import { env } from "../env";
import { DEFAULT_DEBATER } from "../models/resolver";
import { BUILTIN_SETS } from "../questions/schema";
import { createDebateMatch } from "./create";

/** The question sets a guest may play from the home page or the API: the shipped bank's. */
export const PLAYABLE_SOURCES = BUILTIN_SETS;

/** Debater models offered for play: the offline default, then those allowed by CRUX_PLAY_MODELS. */
export function playableDebaters(): string[] {
  return [DEFAULT_DEBATER, ...env.CRUX_PLAY_MODELS.filter((spec) => spec !== DEFAULT_DEBATER)];
}

/** A new match for a person judging in the browser; every seat uses the chosen (allowed) debater model. */
export async function startJudgeMatch(
  db: Db,
  options: { judgeId: string; source?: (typeof PLAYABLE_SOURCES)[number]; debaters?: string; protocol?: Protocol },
): Promise<{ id: string }> {
  const debaters = options.debaters ?? DEFAULT_DEBATER;
  return createDebateMatch(db, {
    judgeId: options.judgeId,
    source: options.source ?? "quality",
    debaterModels: [debaters, debaters],
    config: { protocol: options.protocol ?? "debate" },
  });
}
