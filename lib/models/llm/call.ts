import { createHash } from "node:crypto";
import type { PriceTable } from "../pricing";
import { costOf } from "../pricing";
import {
  type Completion,
  type CompletionRequest,
  complete,
  type ResolvedModel,
  responseFormatFor,
} from "../providers/ai-sdk";
import { configuredKeys, type ProvidersConfig } from "../providers/config";
import type { CallOptions, ModelCallRecord, ModelCallRole } from "../types";
import { classifyError } from "./classify-error";
import { isAbortError, ModelCallError } from "./errors";
import type { Limiter } from "./limiter";
import { withRetries } from "./retry";
import type { RetryPolicy } from "./retry-policy";

/**
 * One logical model call: response cache, per-provider concurrency limit, retries with backoff (a stream that
 * fails midway is restarted from scratch and the listener is told to discard what it had), token and cost
 * accounting, and a record of the call for storage — emitted for failures too. A call that asks for structured
 * output and is refused for it falls back to plain text (see {@link callLlm}).
 */

export interface CachedResponse {
  output: string;
  tokensIn?: number;
  tokensOut?: number;
}

/** Where responses are kept by the hash of (model, prompt, settings, seed). */
export interface ResponseCache {
  get(key: string): Promise<CachedResponse | null>;
  set(key: string, model: string, value: CachedResponse): Promise<void>;
}

export interface LlmRuntime {
  providers: ProvidersConfig;
  resolve(spec: string): ResolvedModel;
  limiter: Limiter;
  policy: RetryPolicy;
  prices: PriceTable;
  /** Null when caching is turned off. */
  cache: ResponseCache | null;
  /**
   * Specs whose provider refused a structured-output request that then succeeded in plain text: asked in plain
   * text for the rest of the process, so each judge call does not pay for a refused request first.
   */
  plainTextOnly: Set<string>;
}

export interface LlmCallRequest extends CompletionRequest {
  spec: string;
  role: ModelCallRole;
  promptVersion: string;
  promptHash: string;
  /** Stream through options.onDelta (debater turns); otherwise one response (judges, pickers). */
  stream: boolean;
}

/**
 * Options of one call: the adapter's, plus `stopWhen` for a stream: given the text streamed so far (of the current
 * attempt) and the delta that just ended it, true ends the call there — the request is aborted (no more tokens are
 * paid for) and the text so far is the answer, recorded and cached like a finished one. (An attempt's first delta
 * is the whole text: `text.length === delta.length`. A check that only looks at the delta spares copying the
 * growing text on every delta.)
 */
export type LlmCallOptions = CallOptions & { stopWhen?: (text: string, delta: string) => boolean };

export interface LlmCallResult {
  text: string;
  record: ModelCallRecord;
}

/**
 * Key of the response cache: everything that determines the answer. The response schema is left out on purpose:
 * it only constrains the format of an answer that is parsed the same way either way, and keys stay those of
 * answers stored before judges used structured output, so replaying a study still costs nothing.
 */
export function cacheKey(request: LlmCallRequest): string {
  const { spec, system, messages, temperature, maxOutputTokens, seed } = request;
  const identity = JSON.stringify({ spec, system, messages, temperature, maxOutputTokens, seed });
  return createHash("sha256").update(identity).digest("hex");
}

/**
 * Makes the call (or answers from the cache). Throws ModelCallError when it finally fails. With a
 * `responseSchema`, the answer is asked for in the provider's structured-output mode unless the provider is set
 * to "off"; when the provider rejects that request (400 or 422: real servers answer "response_format is not
 * supported" so), the refused call is recorded and the same call is made again in plain text, and if that one
 * succeeds the model is asked in plain text from then on (see {@link LlmRuntime.plainTextOnly}).
 */
export async function callLlm(
  runtime: LlmRuntime,
  request: LlmCallRequest,
  options: LlmCallOptions = {},
): Promise<LlmCallResult> {
  const { responseSchema, ...plain } = request;
  const model = runtime.resolve(request.spec);
  if (!responseSchema || runtime.plainTextOnly.has(request.spec) || !responseFormatFor(model, request)) {
    return callOnce(runtime, model, plain, options);
  }
  try {
    return await callOnce(runtime, model, request, options);
  } catch (error) {
    if (!ModelCallError.isInstance(error) || (error.status !== 400 && error.status !== 422)) throw error;
    // A 400 can have other causes (a prompt too long): only a plain-text success shows the format was at fault.
    const result = await callOnce(runtime, model, plain, options);
    runtime.plainTextOnly.add(request.spec);
    return result;
  }
}

async function callOnce(
  runtime: LlmRuntime,
  model: ResolvedModel,
  request: LlmCallRequest,
  options: LlmCallOptions,
): Promise<LlmCallResult> {
  const started = performance.now();
  const format = request.responseSchema ? model.structuredOutput : undefined;
  const base = {
    role: request.role,
    model: request.spec,
    promptVersion: request.promptVersion,
    promptHash: request.promptHash,
    prompt: { system: request.system, messages: request.messages },
    settings: {
      temperature: request.temperature,
      maxOutputTokens: request.maxOutputTokens,
      seed: request.seed,
      ...(format && format !== "off" ? { responseFormat: format } : {}),
    },
  };
  const key = runtime.cache ? cacheKey(request) : null;
  const hit = key ? await runtime.cache?.get(key) : null;
  // A provider's error text may quote the key it was sent: every reason built below leaves the keys out.
  const secrets = configuredKeys(runtime.providers);
  if (hit) {
    if (request.stream && options.onDelta)
      for (const word of hit.output.match(/\S+\s*|\s+/g) ?? []) options.onDelta(word);
    const record: ModelCallRecord = {
      ...base,
      output: hit.output,
      attempts: 0,
      cached: true,
      tokensIn: hit.tokensIn,
      tokensOut: hit.tokensOut,
      costUsd: 0,
      latencyMs: Math.round(performance.now() - started),
    };
    options.onCall?.(record);
    return { text: hit.output, record };
  }

  try {
    // The provider slot is held through backoff waits on purpose: a rate-limited provider gets less traffic.
    const { value, attempts } = await runtime.limiter.run(
      model.limiterKey,
      () =>
        withRetries(
          async ({ attempt, signal }) => {
            if (attempt > 1 && request.stream) options.onReset?.();
            const completion = await completeUntil(model, request, signal, options);
            if (completion.text.trim() === "") throw new EmptyAnswerError();
            return completion;
          },
          {
            policy: runtime.policy,
            signal: options.signal,
            label: request.spec,
            secrets,
            classify: (error) => classifyError(error, { apiKeyVariable: model.apiKeyVariable, secrets }),
          },
        ),
      options.signal,
    );
    const record: ModelCallRecord = {
      ...base,
      output: value.text,
      attempts,
      cached: false,
      tokensIn: value.inputTokens,
      tokensOut: value.outputTokens,
      costUsd: costOf(
        request.spec,
        { inputTokens: value.inputTokens, outputTokens: value.outputTokens },
        runtime.prices,
      ),
      latencyMs: Math.round(performance.now() - started),
    };
    options.onCall?.(record);
    if (key)
      await runtime.cache?.set(key, request.spec, {
        output: value.text,
        tokensIn: value.inputTokens,
        tokensOut: value.outputTokens,
      });
    return { text: value.text, record };
  } catch (error) {
    if (isAbortError(error)) {
      // Cancelled by the caller (match ended, server stopping): recorded, and passed on unchanged.
      options.onCall?.({
        ...base,
        output: "",
        error: "aborted",
        attempts: 1,
        cached: false,
        costUsd: null,
        latencyMs: 0,
      });
      throw error;
    }
    const failure = ModelCallError.isInstance(error)
      ? error
      : new ModelCallError({
          label: request.spec,
          reason: messageOf(error),
          attempts: 1,
          retryable: false,
          cause: error,
          secrets,
        });
    options.onCall?.({
      ...base,
      output: "",
      error: failure.message,
      attempts: failure.attempts,
      cached: false,
      costUsd: null,
      latencyMs: Math.round(performance.now() - started),
    });
    throw failure;
  }
}

/** An answer with no text: a fault like any other (retried, then reported). */
export class EmptyAnswerError extends Error {
  readonly retryable = true;
  constructor() {
    super("the model returned an empty answer");
    this.name = "EmptyAnswerError";
  }
}

/** One attempt; a stream with `stopWhen` is cut (its request aborted) as soon as it says so. */
async function completeUntil(
  model: ResolvedModel,
  request: LlmCallRequest,
  signal: AbortSignal,
  options: LlmCallOptions,
): Promise<Completion> {
  const { stopWhen, onDelta } = options;
  if (!request.stream || !stopWhen) {
    return complete(model, request, { signal, onDelta: request.stream ? onDelta : undefined });
  }
  const stop = new AbortController();
  let text = "";
  try {
    return await complete(model, request, {
      signal: AbortSignal.any([signal, stop.signal]),
      onDelta: (delta) => {
        if (stop.signal.aborted) return;
        text += delta;
        onDelta?.(delta);
        if (stopWhen(text, delta)) stop.abort();
      },
    });
  } catch (error) {
    // Our own stop (not a timeout or the caller's abort): the text so far is the answer.
    if (stop.signal.aborted && !signal.aborted) return { text, finishReason: "stopped" };
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
