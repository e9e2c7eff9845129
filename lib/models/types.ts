import type { JudgeQuestion, Probabilities, TurnRecord } from "../debate/types";
import type { JudgeChoice, Protocol, Seat } from "../debate/vocabulary";

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
  sampling?: SamplingSettings;
  /** "consultant" in consultancy: one AI arguing its option alone to the judge (it is not told the truth). */
  role?: "debater" | "consultant";
  /** Questions the judge asked after earlier rounds; a turn must address those asked after the previous round. */
  judgeQuestions?: JudgeQuestion[];
}

/** What a judge model is told: never the passage or the answer (except the story in the expert protocol). */
export interface JudgeInput {
  question: string;
  options: string[];
  transcript: TurnRecord[];
  round: number;
  totalRounds: number;
  seed: number;
  sampling?: SamplingSettings;
  /** Protocol of the match (default "debate"): decides what the judge is shown and whether it may ask. */
  protocol?: Protocol;
  /** Questions the judge asked after earlier rounds. */
  judgeQuestions?: JudgeQuestion[];
  /** The story, only in the expert protocol. */
  passage?: string;
}

/** Metadata recorded with every model call. */
export interface CallMeta {
  /** Spec of the model that answered, e.g. "offline:extractive". */
  model: string;
  promptVersion: string;
  promptHash?: string;
  tokensIn?: number;
  tokensOut?: number;
  /** USD across the calls behind this reply; null when a price is unknown, absent for offline models. */
  costUsd?: number | null;
  latencyMs: number;
}

export interface CallOptions {
  /** Aborts the call (e.g. when the match ends or the server stops). */
  signal?: AbortSignal;
  /**
   * Receives text as it is produced, in order. Concatenated deltas since the last `onReset` equal the final text.
   */
  onDelta?: (delta: string) => void;
  /** The text streamed so far is void (a stream failed midway and is being retried from the start). */
  onReset?: () => void;
  /** Receives a record of every model call made, failed ones included, for storage and accounting. */
  onCall?: (record: ModelCallRecord) => void;
}

export type ModelCallRole = "debater" | "judge" | "picker" | "check";

/** What is stored about one call to a model (see the ModelCall table). */
export interface ModelCallRecord {
  role: ModelCallRole;
  model: string;
  promptVersion: string;
  promptHash: string;
  prompt: { system: string; messages: { role: "user" | "assistant"; content: string }[] };
  /** `responseFormat`: the structured-output mode the answer was requested in; absent for plain text. */
  settings: {
    temperature?: number;
    maxOutputTokens?: number;
    seed?: number;
    responseFormat?: "json_schema" | "json_object";
  };
  output: string;
  error?: string;
  attempts: number;
  cached: boolean;
  tokensIn?: number;
  tokensOut?: number;
  /** USD; null when the price of the model is unknown. */
  costUsd: number | null;
  latencyMs: number;
}

/** Sampling settings a match passes to language models (ignored by the offline models). */
export interface SamplingSettings {
  temperature?: number;
  maxOutputTokens?: number;
  /** Best-of-N: the debater drafts N turns and `pickerModel` picks the most persuasive (Khan et al. 2024). */
  bestOf: number;
  /** Judge model spec that picks among best-of-N candidates; defaults to the debater's own model. */
  pickerModel?: string;
}

export interface DebaterReply {
  text: string;
  meta: CallMeta;
}

export interface JudgeReply {
  probabilities: Probabilities;
  /** Whether the judge wants another round (ignored after the last round). */
  action: JudgeChoice;
  reasoning: string;
  /** A question for the next round (interactive debate and consultancy; ignored elsewhere and when ending). */
  question?: string;
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
