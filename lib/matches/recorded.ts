import { randomInt } from "node:crypto";
import type { Db } from "../db/client";
import { type MatchConfigInput, storedMatchConfigSchema } from "../debate/config";
import { countWords } from "../debate/limits";
import { seatsOf } from "../debate/protocols";
import type { DebaterSeat } from "../debate/types";
import {
  otherOption,
  RECORDED_SOURCE_PROTOCOLS,
  type RecordedMode,
  recordedSourceProtocolSchema,
  type Seat,
  toOptionIndex,
} from "../debate/vocabulary";
import { CruxError } from "../errors";
import { recordedDebaterSpec } from "../models/recorded";
import { mulberry32 as seeded } from "../random";
import { createMatch, getStoredMatch, type MatchStudyLink } from "./repository";

/**
 * The recorded protocol's set-up: a new match on a stored source match's question whose debaters replay the source's
 * turns (`recorded:<source>:<seat>`, lib/models/recorded.ts), so a new judge judges a debate that already happened.
 * Everything else — streaming, quotes checked against the story, the judge's controls, time limits, the verdict —
 * is the runner's, unchanged.
 */

/**
 * The dataset free play's "Judge a real debate" draws from: the NYU 2023 debates shipped in data/nyu-2023 and seeded
 * on start (lib/import/shipped-debates.ts), or the whole release imported under the same name.
 */
export const RECORDED_PLAY_DATASET = "nyu-2023";

/**
 * A debate of {@link RECORDED_PLAY_DATASET} for `judgeId` to judge again: a finished debate or consultancy that their
 * live judge decided, never one they have judged already (nor, while one remains, on a question they have seen),
 * never on a question of `excludeQuestionIds` (those launched studies use). Null when there is none.
 */
export async function pickRecordedSource(
  db: Db,
  options: { judgeId: string; excludeQuestionIds?: string[]; random?: () => number },
): Promise<string | null> {
  const mine = await db.match.findMany({
    where: { judgeId: options.judgeId },
    select: { questionId: true, sourceMatchId: true },
  });
  const judged = mine.flatMap((m) => (m.sourceMatchId ? [m.sourceMatchId] : []));
  const candidates = await db.match.findMany({
    where: {
      study: { name: RECORDED_PLAY_DATASET, status: "imported" },
      status: "complete",
      protocol: { in: [...RECORDED_SOURCE_PROTOCOLS] },
      tags: { some: { tag: "live-judge" } },
      id: { notIn: judged },
      questionId: { notIn: options.excludeQuestionIds ?? [] },
    },
    select: { id: true, questionId: true },
    orderBy: { id: "asc" },
  });
  const seen = new Set(mine.map((m) => m.questionId));
  const fresh = candidates.filter((c) => !seen.has(c.questionId));
  const pool = fresh.length > 0 ? fresh : candidates;
  const random = options.random ?? (() => randomInt(0, 1_000_000) / 1_000_000);
  return pool[Math.floor(random() * pool.length)]?.id ?? null;
}

/** The text of a source match's turn (what a recorded debater streams); null when the source has none. */
export async function readRecordedTurn(
  db: Db,
  sourceMatchId: string,
  round: number,
  seat: Seat,
): Promise<string | null> {
  const turn = await db.turn.findUnique({
    where: { matchId_round_speaker: { matchId: sourceMatchId, round, speaker: seat } },
    select: { text: true },
  });
  return turn?.text ?? null;
}

/**
 * The rounds of a source a replay can show: rounds 1, 2, … for as long as every seat spoke in them (a debate that
 * stopped half way through a round ends, for its new judge, after the last whole one).
 */
export function replayableRounds(turns: readonly { round: number; speaker: Seat }[], seats: readonly Seat[]): number {
  let rounds = 0;
  while (seats.every((seat) => turns.some((t) => t.round === rounds + 1 && t.speaker === seat))) rounds += 1;
  return rounds;
}

/** The options' screen order: the correct one first or second as asked, else drawn. */
function screenOrder(goldFirst: boolean | undefined, gold: number, random: () => number): number[] {
  if (goldFirst === undefined) return random() < 0.5 ? [0, 1] : [1, 0];
  const right = toOptionIndex(gold);
  return goldFirst ? [right, otherOption(right)] : [otherOption(right), right];
}

export interface NewRecordedMatchOptions {
  sourceMatchId: string;
  /** `stepped` (default): round by round, the judge may stop early; `timed`: every round, then one verdict. */
  mode?: RecordedMode;
  judgeId?: string | null;
  judgeModel?: string | null;
  seed?: number;
  /** The judge's scoring, sampling and time limit (the rest of the config is the source's). */
  config?: Pick<MatchConfigInput, "scoring" | "sampling" | "judgeTimeLimitMs" | "submitDraftOnTimeout">;
  /**
   * Whether the correct option is shown first on the judge's screen (a study plan's counterbalancing); by default the
   * screen order is drawn from the seed.
   */
  goldFirst?: boolean;
  study?: MatchStudyLink;
  requestKey?: string;
}

/**
 * Creates a recorded-protocol match (`waiting`) replaying `sourceMatchId`: same question, seats, options and speaking
 * order as the source, its rounds bounded by the source's; the options' screen order is drawn from the seed. The
 * source must be a finished debate or consultancy (BAD_REQUEST otherwise; NOT_FOUND when it does not exist).
 */
export async function createRecordedMatch(
  db: Db,
  options: NewRecordedMatchOptions,
): Promise<{ id: string; seed: number }> {
  const source = await getStoredMatch(db, options.sourceMatchId);
  if (!source) throw new CruxError("NOT_FOUND", `No match with id ${options.sourceMatchId}.`);
  if (source.status !== "complete") throw new CruxError("BAD_REQUEST", "Only a finished debate can be judged again.");
  const sourceProtocol = recordedSourceProtocolSchema.safeParse(source.config.protocol);
  if (!sourceProtocol.success)
    throw new CruxError("BAD_REQUEST", `A ${source.config.protocol} match has no debaters' turns to replay.`);
  const rounds = replayableRounds(source.turns, seatsOf(sourceProtocol.data));
  if (rounds === 0) throw new CruxError("BAD_REQUEST", "The source debate has no complete round to replay.");

  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const random = seeded(seed ^ 0x5bd1e995);
  const longest = Math.max(0, ...source.turns.filter((t) => t.round <= rounds).map((t) => countWords(t.text)));
  const config = storedMatchConfigSchema.parse({
    ...options.config,
    protocol: "recorded",
    rounds,
    // The source's turns must come through whole: at least the longest of them (within the schema's bounds).
    wordLimit: Math.min(1000, Math.max(source.config.wordLimit, longest)),
    laterRounds: source.config.laterRounds,
    firstSpeaker: source.config.firstSpeaker,
    optionOrder: screenOrder(options.goldFirst, source.question.gold, random),
    seed,
    recorded: { mode: options.mode ?? "stepped", sourceProtocol: sourceProtocol.data },
  });
  const debaters: DebaterSeat[] = source.debaters.map((d) => ({
    seat: d.seat,
    option: d.option,
    model: recordedDebaterSpec(source.id, d.seat),
    ...(d.honest === undefined ? {} : { honest: d.honest }),
  }));
  const match = await createMatch(db, {
    questionId: source.question.id,
    config,
    debaters,
    judgeId: options.judgeId ?? null,
    judgeModel: options.judgeModel ?? null,
    study: options.study,
    requestKey: options.requestKey,
    sourceMatchId: source.id,
  });
  return { id: match.id, seed };
}
