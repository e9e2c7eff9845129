import { z } from "zod";
import type { Db } from "../db/client";
import { PROTOCOLS } from "../debate/vocabulary";
import { env } from "../env";
import { DEFAULT_DEBATER } from "../models/resolver";
import { BUILTIN_SETS } from "../questions/schema";
import { createDebateMatch } from "./create";
import { listOpenPlayMatchIds, setMatchStatus } from "./repository";
import { getRunner } from "./runner-registry";

/** The question sets a guest may play from the home page or the API: the shipped bank's. */
export const PLAYABLE_SOURCES = BUILTIN_SETS;

/** Debater models offered for play: the offline default, then those allowed by CRUX_PLAY_MODELS. */
export function playableDebaters(): string[] {
  return [DEFAULT_DEBATER, ...env.CRUX_PLAY_MODELS.filter((spec) => spec !== DEFAULT_DEBATER)];
}

/**
 * "Start a match", as the home page's Play form and `POST /api/matches` both take it: the one schema for this
 * input. Every field is optional (defaults: a QuALITY story, the debate protocol, the offline debater); a debater
 * must be one offered for play. Unknown fields are refused, so a typo is not silently ignored.
 */
export const startMatchSchema = z.strictObject({
  source: z.enum(PLAYABLE_SOURCES).optional(),
  protocol: z.enum(PROTOCOLS).optional(),
  debaters: z
    .string()
    .refine((spec) => playableDebaters().includes(spec), "not a debater model offered for play (see CRUX_PLAY_MODELS)")
    .optional(),
});
export type StartMatchInput = z.infer<typeof startMatchSchema>;

/**
 * A new match for a person judging in the browser; every seat uses the chosen (allowed) debater model. A person has
 * at most CRUX_OPEN_MATCHES_PER_USER unfinished play matches: starting one more abandons their oldest (rather
 * than refusing), since the person asking for a new match has evidently left that one, and has no other way to end
 * it.
 */
export async function startJudgeMatch(
  db: Db,
  options: StartMatchInput & { judgeId: string; maxOpen?: number },
): Promise<{ id: string }> {
  await abandonOldestOpenMatches(db, options.judgeId, (options.maxOpen ?? env.CRUX_OPEN_MATCHES_PER_USER) - 1);
  const debaters = options.debaters ?? DEFAULT_DEBATER;
  return createDebateMatch(db, {
    judgeId: options.judgeId,
    source: options.source ?? "quality",
    debaterModels: [debaters, debaters],
    config: { protocol: options.protocol ?? "debate" },
  });
}

/** Abandons the judge's oldest unfinished play matches until at most `keep` are left (through the runner if any). */
async function abandonOldestOpenMatches(db: Db, judgeId: string, keep: number): Promise<void> {
  const open = await listOpenPlayMatchIds(db, judgeId);
  const reason = "Ended because the judge started a newer match (a person may have only a few unfinished ones).";
  const runner = getRunner();
  for (const id of open.slice(0, Math.max(0, open.length - keep))) {
    if (runner) await runner.abandon(id, reason);
    else await setMatchStatus(db, id, "abandoned", reason);
  }
}
