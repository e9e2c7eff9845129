import type { MatchConfig } from "./config";
import { judgeMayAsk, judgeSeesPassage } from "./protocols";
import { judgeQuestionsOf } from "./rounds";
import type { Scoring } from "./scoring";
import type { DebaterSeat, JudgeQuestion, JudgeStepRecord, Quote, TurnRecord, VerdictRecord } from "./types";
import type { JudgeKind, MatchStatus, Protocol, RecordedMode, Seat } from "./vocabulary";

/**
 * `viewFor` is the one place that decides what each role may see of a match. Everything sent to a browser goes
 * through it; the judge's view never holds the passage, quote positions or the correct answer before the verdict,
 * nor — in a recorded debate — anything of the source match (its id, its judge, their steps or verdict).
 */

export type ViewerRole = "judge" | "observer";

/** Everything the server knows about a match (secret parts included). Built by lib/matches from the database. */
export interface MatchSnapshot {
  id: string;
  status: MatchStatus;
  error: string | null;
  config: MatchConfig;
  question: {
    id: string;
    text: string;
    options: string[];
    gold: number;
    passage: { title: string; text: string; license: string } | null;
  };
  debaters: (DebaterSeat & { label: string; isLanguageModel: boolean })[];
  turns: TurnRecord[];
  judgeSteps: JudgeStepRecord[];
  verdict: VerdictRecord | null;
  /** Turns being streamed right now: text so far and the sequence number of its last chunk. */
  live: LiveTurn[];
  /** What happens next (derived from turns and steps by the rules). */
  phase: MatchPhase;
  /** When the judge's current step times out (epoch ms), or null without a time limit. */
  deadline: number | null;
  /** A recorded debate's source and how its own judge did (secret until the new judge's verdict). */
  source?: RecordedSource | null;
}

/**
 * The match a recorded debate replays, and its own judge's judgment. A new judge sees it only after their own
 * verdict (the reveal's `original`): before, it could only bias them.
 */
export interface RecordedSource {
  matchId: string;
  /** The source's judge: a person or a model (labelled by its spec). */
  judge: { kind: JudgeKind; label: string };
  /** The source judge's verdict (null: the source ended without one). */
  verdict: VerdictRecord | null;
  /** The source judge's reports, round by round. */
  judgeSteps: JudgeStepRecord[];
}

export interface LiveTurn {
  round: number;
  speaker: Seat;
  text: string;
  /** Sequence number of the last chunk included in `text` (-1 before the first chunk). */
  seq: number;
}

export type MatchPhase =
  | { kind: "waiting" }
  | { kind: "turns"; round: number; seats: Seat[] }
  | { kind: "judge"; round: number; final: boolean }
  | { kind: "complete" }
  | { kind: "errored" };

/** The phases a match ends in: the verdict is in, or the match stopped. */
export type EndPhase = Extract<MatchPhase["kind"], "complete" | "errored">;

/** A quote as the judge sees it before the verdict: no passage offsets. */
export type PublicQuote = Pick<Quote, "text" | "verified">;

export interface PublicTurn extends Omit<TurnRecord, "quotes"> {
  quotes: PublicQuote[];
}

/** The data a browser receives. `reveal` is present only once the verdict is in (or for observers). */
export interface MatchView {
  id: string;
  role: ViewerRole;
  protocol: Protocol;
  status: MatchStatus;
  /**
   * Why the match stopped. Observers (researchers) get the server's own reason (a provider's error text included);
   * a judge gets {@link JUDGE_ERRORED_NOTICE} for an errored match, never the detail (see {@link errorFor}).
   */
  error: string | null;
  phase: MatchPhase;
  rounds: number;
  wordLimit: number;
  /** How the judge is scored (the rule and round cost, never the answer): the judge page explains it. */
  scoring: Scoring;
  question: { text: string; options: string[]; passageTitle: string | null; hasPassage: boolean };
  /** Option indexes in the order to show them (randomised per match). */
  optionOrder: number[];
  /** Whether the judge may ask a question with "Next round". */
  judgeMayAsk: boolean;
  judgeQuestions: JudgeQuestion[];
  /** When the current judge step times out (epoch ms), or null. */
  deadline: number | null;
  /** A recorded debate's mode (`timed`: one verdict after every round), or null for every other protocol. */
  recordedMode: RecordedMode | null;
  /** The story, before the verdict only in the expert protocol (the judge's calibration ceiling). */
  passage: { title: string; text: string; license: string } | null;
  debaters: { seat: Seat; option: number; label: string; isLanguageModel: boolean }[];
  turns: PublicTurn[];
  live: LiveTurn[];
  judgeSteps: JudgeStepRecord[];
  reveal: MatchReveal | null;
}

export interface MatchReveal {
  gold: number;
  verdict: VerdictRecord | null;
  passage: { title: string; text: string; license: string } | null;
  /** Quotes with their positions in the passage, turn by turn (same order as `turns`). */
  quotes: Quote[][];
  /** Quick play drew this match's format at random (the reveal says so: players learn what a lone consultant does). */
  quickPlay: boolean;
  /** A recorded debate: its source and how the source's own judge did; null for every other protocol. */
  original: RecordedSource | null;
}

/**
 * What a recorded debate's turns say produced them before the verdict: their stored model is the replaying spec
 * (`recorded:<source match>:<seat>`), which names the source match; the judge learns it with the reveal.
 */
export const RECORDED_TURN_MODEL = "recorded";

/**
 * What a judge is told when a match errored: the stored reason is for researchers (it may hold a provider's error
 * text, model names, the variables of the server's configuration), so judges — participants, guests — get this.
 */
export const JUDGE_ERRORED_NOTICE =
  "a technical problem on our side (the AI models could not go on), not anything you did";

/**
 * The `error` a role sees. An abandoned match's reason is one Crux writes for people ("The judge left…", "Ended by a
 * researcher."), so judges see it; an errored match's is the fault's own text, which only observers see.
 */
export function errorFor(match: Pick<MatchSnapshot, "status" | "error">, role: ViewerRole): string | null {
  if (role === "observer" || match.error === null) return match.error;
  return match.status === "errored" ? JUDGE_ERRORED_NOTICE : match.error;
}

/** Shapes a snapshot for a viewer. Observers (researchers) see everything; judges see secrets after the verdict. */
export function viewFor(match: MatchSnapshot, role: ViewerRole): MatchView {
  const revealed = role === "observer" || match.verdict !== null;
  const { protocol } = match.config;
  return {
    id: match.id,
    role,
    protocol,
    status: match.status,
    error: errorFor(match, role),
    phase: match.phase,
    rounds: match.config.rounds,
    wordLimit: match.config.wordLimit,
    scoring: { rule: match.config.scoring.rule, roundCost: match.config.scoring.roundCost },
    question: {
      text: match.question.text,
      options: match.question.options,
      passageTitle: match.question.passage?.title ?? null,
      hasPassage: match.question.passage !== null,
    },
    optionOrder: match.config.optionOrder,
    judgeMayAsk: judgeMayAsk(protocol),
    judgeQuestions: judgeQuestionsOf(match.judgeSteps),
    deadline: match.deadline,
    recordedMode: match.config.recorded?.mode ?? null,
    passage: revealed || judgeSeesPassage(protocol) ? match.question.passage : null,
    debaters: match.debaters.map(({ seat, option, label, isLanguageModel }) => ({
      seat,
      option,
      label,
      isLanguageModel,
    })),
    turns: match.turns.map((turn) => ({
      ...turn,
      model: revealed || protocol !== "recorded" ? turn.model : RECORDED_TURN_MODEL,
      quotes: turn.quotes.map(({ text, verified }) => ({ text, verified })),
    })),
    live: match.live,
    judgeSteps: match.judgeSteps,
    reveal: revealed
      ? {
          gold: match.question.gold,
          verdict: match.verdict,
          passage: match.question.passage,
          quotes: match.turns.map((turn) => turn.quotes),
          quickPlay: match.config.quickPlay === true,
          original: match.source ?? null,
        }
      : null,
  };
}
