import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, type LanguageModel, streamText } from "ai";
import { CruxError } from "../../errors";
import { compatibleServer, type ProvidersConfig } from "./config";

/**
 * The only module that talks to provider SDKs (the Vercel AI SDK and its providers). Everything above it works
 * with model specs, prompts and plain results.
 */

export const LLM_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export interface ResolvedModel {
  spec: string;
  provider: LlmProvider;
  /** Name of the model at the provider (for prices and metadata). */
  modelName: string;
  /** Calls sharing this key share one concurrency limit (one per provider or named server). */
  limiterKey: string;
  concurrency: number;
  /** The environment variable holding this provider's key, named in authentication errors. */
  apiKeyVariable: string;
  languageModel: LanguageModel;
}

// Keys are sometimes optional (local servers); the SDKs still want a string.
const NO_KEY = "not-needed";

/** Builds the AI SDK model for `provider:model`; throws a BAD_REQUEST CruxError when it is not configured. */
export function resolveLanguageModel(provider: LlmProvider, model: string, config: ProvidersConfig): ResolvedModel {
  const spec = `${provider}:${model}`;
  if (provider === "openai") {
    const endpoint = config.openai;
    if (!endpoint) throw notConfigured(spec, "set OPENAI_API_KEY (and OPENAI_BASE_URL for a proxy)");
    const openai = createOpenAI({ apiKey: endpoint.apiKey ?? NO_KEY, baseURL: endpoint.baseURL });
    // Chat completions: the protocol every OpenAI-compatible server speaks too.
    return resolved(spec, provider, model, "openai", endpoint.concurrency, "OPENAI_API_KEY", openai.chat(model));
  }
  if (provider === "anthropic") {
    const endpoint = config.anthropic;
    if (!endpoint) throw notConfigured(spec, "set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy)");
    const anthropic = createAnthropic({ apiKey: endpoint.apiKey ?? NO_KEY, baseURL: endpoint.baseURL });
    return resolved(spec, provider, model, "anthropic", endpoint.concurrency, "ANTHROPIC_API_KEY", anthropic(model));
  }
  const slash = model.indexOf("/");
  if (slash <= 0 || slash === model.length - 1) {
    throw new CruxError("BAD_REQUEST", `"${spec}" should be openai-compatible:<server name>/<model>`);
  }
  const name = model.slice(0, slash);
  const modelName = model.slice(slash + 1);
  const server = compatibleServer(config, name);
  if (!server) {
    const variable = `CRUX_PROVIDER_${name.toUpperCase().replaceAll("-", "_")}_BASE_URL`;
    throw notConfigured(spec, `set ${variable} to the server's OpenAI-compatible URL (e.g. http://localhost:8000/v1)`);
  }
  const compatible = createOpenAICompatible({
    name,
    baseURL: server.baseURL,
    apiKey: server.apiKey,
    includeUsage: true,
  });
  const keyVariable = `CRUX_PROVIDER_${name.toUpperCase().replaceAll("-", "_")}_API_KEY`;
  return resolved(
    spec,
    provider,
    modelName,
    `openai-compatible:${name}`,
    server.concurrency,
    keyVariable,
    compatible(modelName),
  );
}

function resolved(
  spec: string,
  provider: LlmProvider,
  modelName: string,
  limiterKey: string,
  concurrency: number,
  apiKeyVariable: string,
  languageModel: LanguageModel,
): ResolvedModel {
  return { spec, provider, modelName, limiterKey, concurrency, apiKeyVariable, languageModel };
}

function notConfigured(spec: string, hint: string): CruxError {
  return new CruxError("BAD_REQUEST", `model "${spec}" is not configured: ${hint}`);
}

export interface CompletionRequest {
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
  temperature?: number;
  maxOutputTokens?: number;
  seed?: number;
}

export interface Completion {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReason: string;
}

/** A stream ended without the provider saying it finished: treated as a fault to retry, never as an answer. */
export class IncompleteStreamError extends Error {
  readonly retryable = true;
  constructor(readonly finishReason: string) {
    super(`the model's stream ended without finishing (finish reason: ${finishReason})`);
    this.name = "IncompleteStreamError";
  }
}

/**
 * One attempt at a completion. Streams text through `onDelta` when given. Errors (HTTP, reset, malformed
 * stream) are thrown as the SDK raised them, for the retry layer to classify; SDK-level retries are off because
 * that layer owns retries (it honours Retry-After and restarts a stream from scratch). A stream can fail in three
 * ways that are all turned into a throw here: an error part (even if the stream then goes on), an exception while
 * iterating (connection reset), and an abort part (timeout or cancellation, which the SDK does not throw).
 */
export async function complete(
  model: ResolvedModel,
  request: CompletionRequest,
  options: { signal: AbortSignal; onDelta?: (delta: string) => void },
): Promise<Completion> {
  const settings = {
    model: model.languageModel,
    system: request.system,
    messages: request.messages,
    temperature: request.temperature,
    maxOutputTokens: request.maxOutputTokens,
    // Anthropic has no seed parameter (the SDK warns on every call); the seed still keys the response cache.
    seed: model.provider === "anthropic" ? undefined : request.seed,
    maxRetries: 0,
    abortSignal: options.signal,
  };
  if (!options.onDelta) {
    const result = await generateText(settings);
    return {
      text: result.text,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      finishReason: result.finishReason,
    };
  }
  const result = streamText({ ...settings, onError: () => undefined });
  let text = "";
  for await (const part of result.fullStream) {
    if (part.type === "text-delta") {
      text += part.text;
      options.onDelta(part.text);
    } else if (part.type === "error") {
      throw part.error;
    } else if (part.type === "abort") {
      throw options.signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
    } else if (part.type === "finish") {
      // A cut-off stream is not an error to the SDK: it shows as finish reason "error", or "other" with no usage.
      const usageMissing = part.totalUsage.outputTokens === undefined && part.totalUsage.inputTokens === undefined;
      if (part.finishReason === "error" || (part.finishReason === "other" && usageMissing)) {
        throw new IncompleteStreamError(part.finishReason);
      }
      return {
        text,
        inputTokens: part.totalUsage.inputTokens,
        outputTokens: part.totalUsage.outputTokens,
        finishReason: part.finishReason,
      };
    }
  }
  throw new IncompleteStreamError("none");
}
