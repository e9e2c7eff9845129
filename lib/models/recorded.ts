/**
 * The recorded debater: a seat of a recorded-protocol match (lib/debate/protocols.ts), whose turns are not written
 * but read back from a stored source match — an imported debate, or one played earlier in Crux. It streams each turn
 * word by word at reading pace, like any model, so the runner, quote verification, the judge's controls and the
 * reveal work unchanged. Its spec names the source and the seat: `recorded:<source match id>:<seat>`.
 */

import { countWords } from "../debate/limits";
import { type Seat, seatSchema } from "../debate/vocabulary";
import { abortError, streamWords } from "./offline/stream";
import type { CallOptions, DebaterModel, DebaterReply, DebaterTurnInput, ModelInfo } from "./types";

/** The provider part of a recorded debater's spec. */
export const RECORDED_PROVIDER = "recorded";
/** Stored with each replayed turn (`promptVersion`): nothing was prompted, the text is the source's. */
export const RECORDED_PROMPT_VERSION = "recorded-v1";

/** Reads the text of a source match's turn; null when the source has no such turn. */
export type RecordedTurnLookup = (sourceMatchId: string, round: number, seat: Seat) => Promise<string | null>;

/** The spec of the debater replaying `seat` of `sourceMatchId`. */
export function recordedDebaterSpec(sourceMatchId: string, seat: Seat): string {
  return `${RECORDED_PROVIDER}:${sourceMatchId}:${seat}`;
}

/** The source match and seat of a recorded debater's model part (`<source match id>:<seat>`), or null. */
export function parseRecordedModel(model: string): { sourceMatchId: string; seat: Seat } | null {
  const colon = model.lastIndexOf(":");
  if (colon <= 0) return null;
  const seat = seatSchema.safeParse(model.slice(colon + 1));
  return seat.success ? { sourceMatchId: model.slice(0, colon), seat: seat.data } : null;
}

/** How a recorded debater presents itself: neither a language model nor the offline heuristic. */
export function recordedDebaterInfo(spec: string): ModelInfo {
  return { spec, label: "Recorded debater", isLanguageModel: false };
}

/**
 * A debater that replays `seat` of `sourceMatchId`: each call looks up the source's turn for the round asked and
 * streams it, `wordDelayMs` between words (timer-driven: fake timers or a short delay drive it in tests). Fails
 * when the source has no turn for that round and seat.
 */
export function createRecordedDebater(
  model: string,
  options: { lookup: RecordedTurnLookup; wordDelayMs: number },
): DebaterModel | undefined {
  const parsed = parseRecordedModel(model);
  if (!parsed) return undefined;
  const spec = `${RECORDED_PROVIDER}:${model}`;
  return {
    info: recordedDebaterInfo(spec),
    async argue(input: DebaterTurnInput, call: CallOptions = {}): Promise<DebaterReply> {
      const started = performance.now();
      if (call.signal?.aborted) throw abortError();
      const text = await options.lookup(parsed.sourceMatchId, input.round, parsed.seat);
      if (text === null)
        throw new Error(
          `The recorded debate ${parsed.sourceMatchId} has no turn of seat ${parsed.seat} in round ${input.round}.`,
        );
      await streamWords(text, { signal: call.signal, onDelta: call.onDelta, wordDelayMs: options.wordDelayMs });
      return {
        text,
        meta: {
          model: spec,
          promptVersion: RECORDED_PROMPT_VERSION,
          latencyMs: Math.round(performance.now() - started),
          tokensOut: countWords(text),
        },
      };
    },
  };
}
