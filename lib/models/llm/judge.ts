import { hasDebaters, judgeMayAsk } from "../../debate/protocols";
import { type JudgeOutput, judgeAnswerJsonSchema, parseJudgeOutput, reaskMessage } from "../judge-output";
import { judgePrompt } from "../prompts";
import type { CallOptions, JudgeInput, JudgeModel, JudgeReply, ModelCallRecord } from "../types";
import { callLlm, type LlmCallRequest, type LlmRuntime } from "./call";
import { ModelCallError } from "./errors";
import { summarizeCalls } from "./summary";

/** How many times a judge that answers in an unusable format is asked again before the call fails. */
export const JUDGE_REASKS = 2;

/**
 * What of a parsed answer the protocol allows: a question only where the judge may ask and a next round exists;
 * without debaters (naive, expert) there is nothing more to hear, so the judge always ends.
 */
function allowed(output: JudgeOutput, input: JudgeInput): JudgeOutput {
  const protocol = input.protocol ?? "debate";
  const { question, ...answer } = output;
  if (!hasDebaters(protocol)) return { ...answer, action: "end" };
  const mayAsk = judgeMayAsk(protocol) && input.round < input.totalRounds && answer.action === "continue";
  return question !== undefined && mayAsk ? { ...answer, question } : answer;
}

/**
 * A judge backed by a language model, with a prompt for the match's protocol (see judgePrompt). It never sees
 * the passage, except the expert judge: its prompt holds the question, the options and the transcript with each
 * quote marked verified or not. The answer is asked for as JSON (probabilities, action, reasoning, and in
 * interactive debate and consultancy an optional question) through the provider's structured output where it has
 * one, and in the prompt in any case; it is parsed with zod, or read as a plain-text verdict when it holds no
 * JSON. An unusable answer is fed back with the reason and asked again, a bounded number of times, after which
 * the call fails with a readable error (the match then ends as errored, turns kept).
 */
export function createLlmJudge(spec: string, runtime: LlmRuntime): JudgeModel {
  return {
    info: { spec, label: spec, isLanguageModel: true },
    async judge(input: JudgeInput, options: CallOptions = {}): Promise<JudgeReply> {
      const started = performance.now();
      const prompt = judgePrompt(input);
      const format = judgeMayAsk(input.protocol ?? "debate") && input.round < input.totalRounds ? "judge-ask" : "judge";
      const responseSchema = {
        name: "judge_verdict",
        description: "The judge's probabilities for the answer options, next action and reasoning.",
        schema: judgeAnswerJsonSchema(input.options.length, format === "judge-ask"),
      };
      const calls: ModelCallRecord[] = [];
      const onCall = (record: ModelCallRecord) => {
        calls.push(record);
        options.onCall?.(record);
      };
      const messages: LlmCallRequest["messages"] = [{ role: "user", content: prompt.user }];
      let lastError = "";
      for (let attempt = 0; attempt <= JUDGE_REASKS; attempt++) {
        const { text } = await callLlm(
          runtime,
          {
            spec,
            role: "judge",
            system: prompt.system,
            messages: [...messages],
            temperature: 0,
            maxOutputTokens: input.sampling?.maxOutputTokens,
            seed: input.seed,
            promptVersion: prompt.version,
            promptHash: prompt.hash,
            stream: false,
            responseSchema,
          },
          { signal: options.signal, onCall },
        );
        const parsed = parseJudgeOutput(text, input.options.length, input.options);
        if (parsed.ok) {
          return {
            ...allowed(parsed.value, input),
            meta: {
              model: spec,
              promptVersion: prompt.version,
              promptHash: prompt.hash,
              ...summarizeCalls(calls, started),
            },
          };
        }
        lastError = parsed.error;
        messages.push(
          { role: "assistant", content: text },
          { role: "user", content: reaskMessage(parsed.error, format) },
        );
      }
      throw new ModelCallError({
        label: spec,
        reason: `the judge's answer was not in the required format (${lastError})`,
        attempts: JUDGE_REASKS + 1,
        retryable: false,
        cause: null,
      });
    },
  };
}
