/**
 * The offline debater: no network, no language model. It argues by quoting the passage sentences that BM25 ranks
 * most relevant to the question and its assigned option, wrapped in short canned prose (see ./extractive-turn.ts).
 * It answers the judge's questions from the previous round first, and as a consultant (`role: "consultant"`) it
 * argues alone, without rebuttals.
 * Its `info` says plainly that it is not a language model, so the UI can tell players what they are facing.
 */

import { countWords } from "../../debate/limits";
import type { CallOptions, DebaterModel, DebaterReply, DebaterTurnInput, ModelInfo } from "../types";
import { composeTurn } from "./extractive-turn";
import { abortError, streamWords } from "./stream";

/** Spec under which the registry offers this debater. */
export const EXTRACTIVE_DEBATER_SPEC = "offline:extractive";
/**
 * Bumped whenever the composition changes, so recorded turns can be traced to the logic that wrote them (v2:
 * answers judge questions, consultant role).
 */
export const EXTRACTIVE_PROMPT_VERSION = "offline-extractive-v2";

/** Options for {@link createExtractiveDebater}. */
export interface ExtractiveDebaterOptions {
  /** Pause between streamed words in ms (default 0; the server passes CRUX_OFFLINE_WORD_DELAY_MS). */
  wordDelayMs?: number;
}

const INFO: ModelInfo = {
  spec: EXTRACTIVE_DEBATER_SPEC,
  label: "Offline debater (no language model)",
  isLanguageModel: false,
};

/**
 * Creates the offline extractive debater. Each call composes the whole turn up front (it is cheap and
 * deterministic for `input.seed`), then streams it word by word through `onDelta`, `wordDelayMs` apart.
 * Rejects with an AbortError as soon as `signal` aborts.
 */
export function createExtractiveDebater(options: ExtractiveDebaterOptions = {}): DebaterModel {
  const wordDelayMs = Math.max(0, options.wordDelayMs ?? 0);
  return {
    info: INFO,
    async argue(input: DebaterTurnInput, call: CallOptions = {}): Promise<DebaterReply> {
      const started = performance.now();
      if (call.signal?.aborted) throw abortError();
      const text = composeTurn(input);
      await streamWords(text, { signal: call.signal, onDelta: call.onDelta, wordDelayMs });
      return {
        text,
        meta: {
          model: EXTRACTIVE_DEBATER_SPEC,
          promptVersion: EXTRACTIVE_PROMPT_VERSION,
          latencyMs: Math.round(performance.now() - started),
          tokensOut: countWords(text),
        },
      };
    },
  };
}
