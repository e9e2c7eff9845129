import type { MatchConfig } from "./config";
import { speakingSeats } from "./protocols";
import type { JudgeQuestion, JudgeStepRecord, TurnRecord, VerdictRecord } from "./types";
import type { Seat } from "./vocabulary";

/**
 * Turn order and the match state machine.
 *
 * Order: round 1 is simultaneous (each opening is written blind of the other). Later rounds are sequential by
 * default, and then `firstSpeaker` opens every round — a fixed order as in the NYU debate protocol. The second
 * speaker always has the last word, but seats are assigned to options at random per match, so that advantage
 * is not tied to the correct or incorrect answer. With `laterRounds: "simultaneous"` every round is blind.
 * Consultancy has one speaker per round; the naive and expert protocols have none (the judge decides at once). A
 * recorded debate follows its source's seats and order; shown `timed`, its judge answers once, after the last round.
 */

/** Only the fields of the config that decide turn order. */
type OrderConfig = Pick<MatchConfig, "rounds" | "firstRound" | "laterRounds" | "firstSpeaker"> &
  Partial<Pick<MatchConfig, "protocol" | "recorded">>;

function otherSeat(seat: Seat): Seat {
  return seat === "A" ? "B" : "A";
}

function checkRound(config: Pick<MatchConfig, "rounds">, round: number): void {
  if (!Number.isInteger(round) || round < 1 || round > config.rounds) {
    throw new RangeError(`round ${round} is outside 1..${config.rounds}`);
  }
}

/**
 * Who speaks in a round: groups of seats in order; the seats of a group write at the same time, blind of each
 * other. Round numbers are 1-based. Throws RangeError for a round outside the match.
 */
export function roundPlan(config: OrderConfig, round: number): Seat[][] {
  checkRound(config, round);
  const seats = speakingSeats(config);
  // One consultant speaks alone; naive and expert judges get no turns at all.
  if (seats.length < 2) return seats.length ? [seats] : [];
  const mode = round === 1 ? config.firstRound : config.laterRounds;
  if (mode === "simultaneous") return [["A", "B"]];
  return [[config.firstSpeaker], [otherSeat(config.firstSpeaker)]];
}

/** Position of a seat's group in the round's plan (lower speaks earlier). */
function groupIndex(plan: Seat[][], seat: Seat): number {
  return plan.findIndex((group) => group.includes(seat));
}

/** Sorts turns by round, then speaking order within the round (seat order inside a simultaneous group). */
export function orderTurns(turns: readonly TurnRecord[], config: OrderConfig): TurnRecord[] {
  const rank = (turn: TurnRecord): number => {
    if (turn.round < 1 || turn.round > config.rounds) return 0;
    const plan = roundPlan(config, turn.round);
    return groupIndex(plan, turn.speaker) * 2 + (turn.speaker === "A" ? 0 : 1);
  };
  return [...turns].sort((a, b) => a.round - b.round || rank(a) - rank(b));
}

/**
 * The turns a debater may see while writing its turn for `round`: every turn of earlier rounds, plus the turns
 * already given this round by seats in earlier groups. Never a same-group (simultaneous) peer's turn, nor its
 * own or anyone's later turns. Returned in speaking order.
 */
export function visibleTranscript(
  turns: readonly TurnRecord[],
  seat: Seat,
  round: number,
  config: OrderConfig,
): TurnRecord[] {
  const plan = roundPlan(config, round);
  const mine = groupIndex(plan, seat);
  const visible = turns.filter(
    (turn) => turn.round < round || (turn.round === round && groupIndex(plan, turn.speaker) < mine),
  );
  return orderTurns(visible, config);
}

/** What the match runner must do next. */
export type NextStep =
  /** Ask these seats (simultaneously) for their turns in `round`. */
  | { kind: "turns"; round: number; seats: Seat[] }
  /** Ask the judge for probabilities (and continue/end) after `round`. */
  | { kind: "judge"; round: number }
  /** The debate is over after `rounds` rounds; the final verdict is to be recorded. */
  | { kind: "verdict"; rounds: number }
  /** The verdict is recorded; nothing is left to do. */
  | { kind: "done" };

/**
 * The single source of truth for what happens next, computed only from what is persisted, so the runner can call
 * it after every step and after a restart. Rounds are walked in order:
 * - the first group of seats (in speaking order) with a missing turn → "turns" for just the missing seats;
 * - all turns present but no judge step for the round → "judge" (in a timed recorded debate, only after the last
 *   round);
 * - a judge step that says "end", or any judge step after the last round → "verdict" (then "done" once a
 *   verdict exists). "timeout" counts as "continue": the judge did not act, so the debate goes on while rounds
 *   remain, and after the last round it goes to the verdict like anything else.
 * Records for rounds after the debate stopped are ignored.
 */
export function nextStep(
  config: OrderConfig,
  turns: readonly TurnRecord[],
  judgeSteps: readonly JudgeStepRecord[],
  verdict?: VerdictRecord | null,
): NextStep {
  for (let round = 1; round <= config.rounds; round++) {
    for (const group of roundPlan(config, round)) {
      const missing = group.filter((seat) => !turns.some((t) => t.round === round && t.speaker === seat));
      if (missing.length > 0) return { kind: "turns", round, seats: missing };
    }
    const step = judgeSteps.find((s) => s.round === round);
    // A timed recorded debate is shown whole: its judge answers once, after the last round.
    if (!step && round < config.rounds && isTimed(config)) continue;
    if (!step) return { kind: "judge", round };
    if (step.action === "end" || round === config.rounds) {
      return verdict ? { kind: "done" } : { kind: "verdict", rounds: round };
    }
  }
  // Unreachable for rounds >= 1; kept so a malformed config cannot loop forever or fall through silently.
  throw new RangeError(`config.rounds must be at least 1, got ${config.rounds}`);
}

/** Whether the judge answers only once, after every round (a recorded debate shown `timed`). */
export function isTimed(config: Pick<OrderConfig, "recorded">): boolean {
  return config.recorded?.mode === "timed";
}

/**
 * The judge's questions so far: the message of every "continue" step (a verdict's message is its explanation,
 * not a question). Debaters answer a question in the round after `afterRound`.
 */
export function judgeQuestionsOf(steps: readonly JudgeStepRecord[]): JudgeQuestion[] {
  return steps.flatMap((step) =>
    step.action === "continue" && step.message ? [{ afterRound: step.round, text: step.message }] : [],
  );
}
