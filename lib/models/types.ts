import type { Probabilities, Seat, TurnRecord } from "../debate/types";

/**
 * The model adapter's interface. Every debater and judge — the offline ones here, real providers later — is
 * reached through these types, so the match runner never knows which kind it is talking to.
 */

/** What a debater is told when asked for a turn. Only debaters receive the passage. */
export interface DebaterTurnInput {
  question: string;
  options: string[];
  /** Full story text; empty string for passage-free questions. */
  passage: string;
  seat: Seat;
  /** Index of the option this debater must argue for. */
  option: number;
  round: number;
  totalRounds: number;
  /** Turns the debater may see: all earlier rounds, plus same-round turns already given when sequential. */
  transcript: TurnRecord[];
  /** Maximum words for the turn (quote text counts). */
  wordLimit: number;
  /** Seed for deterministic behaviour. */
  seed: number;
}

/** What a judge model is told: never the passage or the answer. */
export interface JudgeInput {
  question: string;
  options: string[];
  transcript: TurnRecord[];
  round: number;
  totalRounds: number;
  seed: number;
}

/** Metadata recorded with every model call. */
export interface CallMeta {
  /** Spec of the model that answered, e.g. "offline:extractive". */
  model: string;
  promptVersion: string;
  promptHash?: string;
  tokensIn?: number;
  tokensOut?: number;
  latencyMs: number;
}

export interface CallOptions {
  /** Aborts the call (e.g. when the match ends or the server stops). */
  signal?: AbortSignal;
  /** Receives text as it is produced, in order. Concatenated deltas equal the final text. */
  onDelta?: (delta: string) => void;
}

export interface DebaterReply {
  text: string;
  meta: CallMeta;
}

export interface JudgeReply {
  probabilities: Probabilities;
  /** Whether the judge wants another round (ignored after the last round). */
  action: "continue" | "end";
  reasoning: string;
  meta: CallMeta;
}

/** Human-facing description, so the UI can be honest about what is arguing. */
export interface ModelInfo {
  spec: string;
  label: string;
  /** False for the offline heuristics: the UI says "offline debater, no language model". */
  isLanguageModel: boolean;
}

export interface DebaterModel {
  readonly info: ModelInfo;
  argue(input: DebaterTurnInput, options?: CallOptions): Promise<DebaterReply>;
}

export interface JudgeModel {
  readonly info: ModelInfo;
  judge(input: JudgeInput, options?: CallOptions): Promise<JudgeReply>;
}
