import { z } from "zod";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { LIVE_PROTOCOLS } from "../debate/vocabulary";
import { env } from "../env";
import { CruxError } from "../errors";
import { DEFAULT_DEBATER } from "../models/resolver";
import { BUILTIN_SETS } from "../questions/schema";
import { createDebateMatch } from "./create";
import { createRecordedMatch, pickRecordedSource } from "./recorded";
import { findMatchByRequestKey, listOpenPlayMatchIds, setMatchStatus } from "./repository";
import { getRunner } from "./runner-registry";

/** The question sets a guest may play from the home page or the API: the shipped bank's. */
export const PLAYABLE_SOURCES = BUILTIN_SETS;

/** Debater models offered for play: the offline default, then those allowed by CRUX_PLAY_MODELS. */
export function playableDebaters(): string[] {
  return [DEFAULT_DEBATER, ...env.CRUX_PLAY_MODELS.filter((spec) => spec !== DEFAULT_DEBATER)];
}

/** A request key: what the Play form generates per attempt (a UUID), or an API client's own. */
export const requestKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,100}$/, "must be 16 to 100 letters, digits, dashes or underscores (e.g. a UUID)");

/**
 * "Start a match", as the home page's Play form and `POST /api/matches` both take it: the one schema for this
 * input. Every field is optional (defaults: a random QuALITY story, the debate protocol, the offline debater); a
 * debater must be one offered for play. `requestKey` makes the request idempotent: repeated with the same key, it
 * returns the match the first one created. Unknown fields are refused, so a typo is not silently ignored.
 */
export const startMatchSchema = z.strictObject({
  source: z.enum(PLAYABLE_SOURCES).optional(),
  questionId: z.string().min(1).max(100).optional(),
  protocol: z.enum(LIVE_PROTOCOLS).optional(),
  debaters: z
    .string()
    .refine((spec) => playableDebaters().includes(spec), "not a debater model offered for play (see CRUX_PLAY_MODELS)")
    .optional(),
  requestKey: requestKeySchema.optional(),
  /** Quick play: a question the player has not judged and a format drawn among QUICK_PLAY_PROTOCOLS (lib/play). */
  quick: z.boolean().optional(),
  /** The tutorial game: a short debate (TUTORIAL_ROUNDS) on a question the player has not judged (lib/play). */
  tutorial: z.boolean().optional(),
  /** "Judge a real debate": a recorded NYU 2023 debate the player has not judged, replayed round by round. */
  recorded: z.boolean().optional(),
});

/** How many rounds the tutorial game has: enough to see both sides answer each other, short enough to finish. */
export const TUTORIAL_ROUNDS = 2;
export type StartMatchInput = z.infer<typeof startMatchSchema>;

/** What a judge's start needs besides the request: who judges, and which questions free play must not serve. */
export interface JudgeMatchContext {
  judgeId: string;
  maxOpen?: number;
  /** Questions a random pick must leave out (lib/play passes those launched studies use). */
  excludeQuestionIds?: string[];
}

/**
 * A new match for a person judging in the browser; every seat uses the chosen (allowed) debater model. A person has
 * at most CRUX_OPEN_MATCHES_PER_USER unfinished play matches: starting one more abandons their oldest (rather
 * than refusing), since the person asking for a new match has evidently left that one, and has no other way to end
 * it. A request whose key already made a match returns that match (the same judge's; another judge's is refused),
 * also when two such requests race: the key is unique in the table, and the loser reads the winner's match.
 */
export async function startJudgeMatch(db: Db, options: StartMatchInput & JudgeMatchContext): Promise<{ id: string }> {
  const { requestKey } = options;
  if (requestKey) {
    const existing = await findMatchByRequestKey(db, requestKey);
    if (existing) return sameJudge(existing, options.judgeId);
  }
  await abandonOldestOpenMatches(db, options.judgeId, (options.maxOpen ?? env.CRUX_OPEN_MATCHES_PER_USER) - 1);
  const debaters = options.debaters ?? DEFAULT_DEBATER;
  try {
    if (options.recorded) return await startRecordedMatch(db, options);
    return await createDebateMatch(db, {
      judgeId: options.judgeId,
      questionId: options.questionId,
      source: options.source ?? "quality",
      excludeQuestionIds: options.excludeQuestionIds,
      debaterModels: [debaters, debaters],
      config: options.tutorial
        ? { protocol: "debate", rounds: TUTORIAL_ROUNDS, tutorial: true }
        : { protocol: options.protocol ?? "debate", ...(options.quick ? { quickPlay: true } : {}) },
      requestKey,
    });
  } catch (error) {
    const existing = requestKey && isUniqueViolation(error) ? await findMatchByRequestKey(db, requestKey) : null;
    if (!existing) throw error;
    return sameJudge(existing, options.judgeId);
  }
}

/** "Judge a real debate": a recorded debate the judge has not judged, stepped (they may stop after any round). */
async function startRecordedMatch(db: Db, options: StartMatchInput & JudgeMatchContext): Promise<{ id: string }> {
  const sourceMatchId = await pickRecordedSource(db, {
    judgeId: options.judgeId,
    excludeQuestionIds: options.excludeQuestionIds,
  });
  if (!sourceMatchId)
    throw new CruxError("NOT_FOUND", "No recorded debates here yet: the server seeds them on start (data/nyu-2023).");
  return createRecordedMatch(db, {
    sourceMatchId,
    mode: "stepped",
    judgeId: options.judgeId,
    requestKey: options.requestKey,
  });
}

/** A match found by request key, if the same judge asked for it; a key is no way into someone else's match. */
function sameJudge(match: { id: string; judgeId: string | null }, judgeId: string): { id: string } {
  if (match.judgeId !== judgeId)
    throw new CruxError("CONFLICT", "This request key was already used: send a new one for each new match.");
  return { id: match.id };
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
