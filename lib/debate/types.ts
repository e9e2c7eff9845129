/**
 * Core domain types of a debate. Pure data, shared by the server and the browser (no secrets live here; what a
 * role may see is decided by `viewFor` in ./view.ts).
 */

/** A debater's seat. Seats are assigned to options at random per match. */
export type Seat = "A" | "B";
export const SEATS: readonly Seat[] = ["A", "B"];

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

/** The judge's probabilities after a round, one per option, summing to 1. */
export type Probabilities = number[];

export type JudgeAction = "continue" | "end" | "timeout";

export interface JudgeStepRecord {
  round: number;
  probabilities: Probabilities;
  action: JudgeAction;
  message?: string | null;
}

export interface VerdictRecord {
  probabilities: Probabilities;
  chosen: number;
  correct: boolean;
  score: number;
  explanation?: string | null;
  rounds: number;
}

export type MatchStatus = "waiting" | "running" | "awaiting_verdict" | "complete" | "abandoned" | "errored";

/** Which model sits in which seat and argues which option. */
export interface DebaterSeat {
  seat: Seat;
  option: number;
  model: string;
  /** Consultancy only: whether the consultant was assigned the correct option (server-side; never shown to judges). */
  honest?: boolean;
}

/**
 * The protocols a match can run (see lib/debate/protocols.ts): two debaters; two debaters the judge can question
 * between rounds; one consultant (honest half the time) the judge can question; no help at all; or no help but
 * the story itself (a calibration ceiling).
 */
export const PROTOCOLS = ["debate", "interactive", "consultancy", "naive", "expert"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** A question or comment the judge addressed to the debaters after a round (interactive debate, consultancy). */
export interface JudgeQuestion {
  /** The round after which it was asked; debaters answer it in the next round. */
  afterRound: number;
  text: string;
  /** The seat it was addressed to, when it was addressed to one. */
  to?: Seat;
}
