import { countWords, createSettledTracker } from "../../debate/limits";
import { createQuoteVerifier } from "../../debate/quotes";
import { hashSeed } from "../../random";
import { parsePickerOutput, reaskMessage } from "../judge-output";
import { consultantPrompt, debaterPrompt, pickerPrompt, type RenderedPrompt } from "../prompts";
import type { CallOptions, DebaterModel, DebaterReply, DebaterTurnInput, ModelCallRecord } from "../types";
import { callLlm, type LlmCallRequest, type LlmRuntime } from "./call";
import { summarizeCalls } from "./summary";

type Message = LlmCallRequest["messages"][number];

/**
 * The prompt for a turn: the consultant's in consultancy (`role: "consultant"`), else the debater's; either way
 * with the judge's questions in the transcript and the instruction to answer those asked after the last round.
 */
function turnPrompt(input: DebaterTurnInput): RenderedPrompt {
  const extras = { judgeQuestions: input.judgeQuestions ?? [] };
  return input.role === "consultant" ? consultantPrompt(input, extras) : debaterPrompt(input, extras);
}

/**
 * A debater (or consultant) backed by a language model. It streams its turn, and stops the model as soon as the
 * turn is sure to be over the word limit: what was streamed is what the judge has seen, so it cannot be replaced
 * by a second attempt, and the match runner cuts it at a word boundary that never splits a quote (streaming only
 * what survives the cut). With best-of-N sampling it drafts N turns unseen, a judge model picks the most
 * persuasive (Khan et al. 2024); a chosen draft over the limit is asked for again once (streamed, and stopped
 * the same way), and the result is streamed.
 */
export function createLlmDebater(spec: string, runtime: LlmRuntime): DebaterModel {
  return {
    info: { spec, label: spec, isLanguageModel: true },
    async argue(input: DebaterTurnInput, options: CallOptions = {}): Promise<DebaterReply> {
      const started = performance.now();
      const prompt = turnPrompt(input);
      const calls: ModelCallRecord[] = [];
      const onCall = (record: ModelCallRecord) => {
        calls.push(record);
        options.onCall?.(record);
      };
      const sampling = input.sampling ?? { bestOf: 1 };
      const request = (draft: number, messages: Message[], stream: boolean): LlmCallRequest => ({
        spec,
        role: "debater",
        system: prompt.system,
        messages,
        temperature: sampling.temperature,
        maxOutputTokens: sampling.maxOutputTokens,
        seed: hashSeed(input.seed, input.round, input.seat, draft) % 2_147_483_647,
        promptVersion: prompt.version,
        promptHash: prompt.hash,
        stream,
      });
      const first: Message[] = [{ role: "user", content: prompt.user }];
      // Streams with the model stopped once the turn is sure to be cut (nothing past the limit is worth paying for).
      const streamed = async (messages: Message[]) => {
        // Measures each delta once, not the whole turn again; a retried attempt's first delta starts it over.
        const settled = createSettledTracker(input.wordLimit);
        const stopWhen = (text: string, delta: string) => {
          if (text.length === delta.length) settled.reset();
          return settled.push(delta).over;
        };
        return (await callLlm(runtime, request(0, messages, true), { ...options, onCall, stopWhen })).text;
      };

      let text: string;
      if (sampling.bestOf > 1) {
        const drafts = await Promise.all(
          Array.from({ length: sampling.bestOf }, (_, i) =>
            callLlm(runtime, request(i, first, false), { signal: options.signal, onCall }),
          ),
        );
        const texts = drafts.map((d) => d.text);
        const best = await pickBest(runtime, sampling.pickerModel ?? spec, input, texts, { ...options, onCall });
        text = texts[best] ?? texts[0] ?? "";
        // Nothing of the drafts has been shown yet, so a chosen draft over the limit can still be rewritten.
        const words = countWords(text);
        if (words > input.wordLimit) {
          text = await streamed([
            ...first,
            { role: "assistant", content: text },
            {
              role: "user",
              content:
                `That turn has ${words} words; the limit is ${input.wordLimit} (quoted words count). ` +
                "Write the turn again within the limit, keeping every quote verbatim inside <quote></quote> tags.",
            },
          ]);
        } else {
          for (const word of text.match(/\S+\s*|\s+/g) ?? []) options.onDelta?.(word);
        }
      } else {
        text = await streamed(first);
      }
      return {
        text,
        meta: {
          model: spec,
          promptVersion: prompt.version,
          promptHash: prompt.hash,
          ...summarizeCalls(calls, started),
        },
      };
    },
  };
}

/** Asks the picker model which draft is most persuasive; re-asks once on a malformed answer, then takes draft 0. */
async function pickBest(
  runtime: LlmRuntime,
  pickerSpec: string,
  input: DebaterTurnInput,
  candidates: string[],
  options: CallOptions,
): Promise<number> {
  const prompt = pickerPrompt({
    question: input.question,
    options: input.options,
    option: input.option,
    candidates,
    transcript: input.transcript,
    judgeQuestions: input.judgeQuestions,
    // Drafts' quotes are marked as the judge will see them; the picker never sees the story itself.
    verify: input.passage ? createQuoteVerifier(input.passage) : undefined,
  });
  const messages: Message[] = [{ role: "user", content: prompt.user }];
  for (let attempt = 0; attempt < 2; attempt++) {
    const { text } = await callLlm(
      runtime,
      {
        spec: pickerSpec,
        role: "picker",
        system: prompt.system,
        messages,
        temperature: 0,
        seed: input.seed,
        promptVersion: prompt.version,
        promptHash: prompt.hash,
        stream: false,
      },
      { signal: options.signal, onCall: options.onCall },
    );
    const parsed = parsePickerOutput(text, candidates.length);
    if (parsed.ok) return parsed.value;
    messages.push(
      { role: "assistant", content: text },
      { role: "user", content: reaskMessage(parsed.error, "picker") },
    );
  }
  return 0;
}
