import type { JudgeAction, Seat } from "./vocabulary";

/**
 * Core domain types of a debate. Pure data, shared by the server and the browser (no secrets live here; what a
 * role may see is decided by `viewFor` in ./view.ts). The vocabularies they are built from (protocol, seat,
 * option, judge action, match status) live in ./vocabulary.ts.
 */

/** A quote found in a turn: the text inside `<quote>…</quote>`, checked against the passage. */
export interface Quote {
  text: string;
  verified: boolean;
  /** Character offsets of the match in the passage (present when verified). */
  start?: number;
  end?: number;
}

/** A finished turn as stored and as shown (the judge sees the same fields minus nothing secret). */
export interface TurnRecord {
  round: number;
  speaker: Seat;
  /** Index of the option this speaker argues for. */
  option: number;
  text: string;
  quotes: Quote[];
  model: string;
}

/** The judge's probabilities after a round, one per option (two: OPTION_COUNT in ./vocabulary.ts), summing to 1. */
export type Probabilities = number[];

export interface JudgeStepRecord {
  round: number;
  probabilities: Probabilities;
  action: JudgeAction;
  message?: string | null;
}

export interface VerdictRecord {
  probabilities: Probabilities;
  /** null: a tie (a 50/50 final judgement; only imported debates have them, a live judge must choose). */
  chosen: number | null;
  correct: boolean;
  score: number;
  explanation?: string | null;
  rounds: number;
}

/** Which model sits in which seat and argues which option. */
export interface DebaterSeat {
  seat: Seat;
  option: number;
  model: string;
  /** Consultancy only: whether the consultant was assigned the correct option (server-side; never shown to judges). */
  honest?: boolean;
}

/** A question or comment the judge addressed to the debaters after a round (interactive debate, consultancy). */
export interface JudgeQuestion {
  /** The round after which it was asked; debaters answer it in the next round. */
  afterRound: number;
  text: string;
  /** The seat it was addressed to, when it was addressed to one. */
  to?: Seat;
}
