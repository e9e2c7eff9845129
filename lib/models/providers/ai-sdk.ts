import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, type LanguageModel, NoOutputGeneratedError, type OutputInterface } from "ai";
import { CruxError } from "../../errors";
import type { LlmProvider } from "../spec";
import { compatibleServer, type ProvidersConfig, type StructuredOutputMode } from "./config";

/**
 * The only module that talks to provider SDKs (the Vercel AI SDK and its providers). Everything above it works
 * with model specs, prompts and plain results.
 */

/**
 * The provider-level model interface (`LanguageModelV3` of `@ai-sdk/provider`, which `ai` does not re-export):
 * what every provider factory used here returns, and what streaming calls drive directly (see `complete`).
 */
export type ProviderLanguageModel = Extract<LanguageModel, { specificationVersion: "v3" }>;
type StreamPart =
  Awaited<ReturnType<ProviderLanguageModel["doStream"]>>["stream"] extends ReadableStream<infer P> ? P : never;

export { LLM_PROVIDERS, type LlmProvider } from "../spec";

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
  /** How a JSON answer is requested from this provider (the endpoint's setting). */
  structuredOutput: StructuredOutputMode;
  languageModel: ProviderLanguageModel;
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
    return resolved(spec, provider, model, "openai", endpoint, "OPENAI_API_KEY", openai.chat(model));
  }
  if (provider === "anthropic") {
    const endpoint = config.anthropic;
    if (!endpoint) throw notConfigured(spec, "set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy)");
    const anthropic = createAnthropic({ apiKey: endpoint.apiKey ?? NO_KEY, baseURL: endpoint.baseURL });
    return resolved(spec, provider, model, "anthropic", endpoint, "ANTHROPIC_API_KEY", anthropic(model));
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
    // Without it the provider downgrades a schema to `json_object`, which is what that mode is for.
    supportsStructuredOutputs: server.structuredOutput === "json_schema",
  });
  const keyVariable = `CRUX_PROVIDER_${name.toUpperCase().replaceAll("-", "_")}_API_KEY`;
  return resolved(spec, provider, modelName, `openai-compatible:${name}`, server, keyVariable, compatible(modelName));
}

function resolved(
  spec: string,
  provider: LlmProvider,
  modelName: string,
  limiterKey: string,
  endpoint: { concurrency: number; structuredOutput: StructuredOutputMode },
  apiKeyVariable: string,
  languageModel: ProviderLanguageModel,
): ResolvedModel {
  const { concurrency, structuredOutput } = endpoint;
  return { spec, provider, modelName, limiterKey, concurrency, apiKeyVariable, structuredOutput, languageModel };
}

function notConfigured(spec: string, hint: string): CruxError {
  return new CruxError("BAD_REQUEST", `model "${spec}" is not configured: ${hint}`);
}

/** A JSON schema the answer should follow, requested through the provider's structured output. */
export interface ResponseSchema {
  /** JSON schema (draft 7) of the answer object. */
  schema: Record<string, unknown>;
  /** Name of the schema (OpenAI requires one: letters, digits, `_` and `-`). */
  name: string;
  description?: string;
}

export interface CompletionRequest {
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
  temperature?: number;
  maxOutputTokens?: number;
  seed?: number;
  /**
   * Ask for JSON following this schema, in the model's structured-output mode (none: plain text). The answer
   * comes back as text either way, unvalidated: the caller parses it.
   */
  responseSchema?: ResponseSchema;
}

type ResponseFormat = Parameters<ProviderLanguageModel["doGenerate"]>[0]["responseFormat"];

/** The provider call's `responseFormat` for a request on this model, or undefined for plain text. */
export function responseFormatFor(model: ResolvedModel, request: CompletionRequest): ResponseFormat {
  const wanted = request.responseSchema;
  if (!wanted || model.structuredOutput === "off") return undefined;
  if (model.structuredOutput === "json_object") return { type: "json" };
  return {
    type: "json",
    schema: wanted.schema as NonNullable<Extract<ResponseFormat, { type: "json" }>["schema"]>,
    name: wanted.name,
    description: wanted.description,
  };
}

/**
 * generateText's output mode that only sets the response format: the text is returned as the model wrote it
 * (Output.object would throw on an answer that is not valid JSON of the schema, where Crux's own tolerant parser
 * and its re-asks should decide).
 */
function rawJsonOutput(responseFormat: ResponseFormat): OutputInterface<string, string, never> {
  return {
    name: "object",
    responseFormat: Promise.resolve(responseFormat),
    parseCompleteOutput: async ({ text }) => text,
    parsePartialOutput: async ({ text }) => ({ partial: text }),
    createElementStreamTransform: () => undefined,
  };
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

/** Stream parts that are not model output (streamText's `isOutputChunkType`). */
const NOT_OUTPUT = new Set<string>(["stream-start", "response-metadata", "finish", "error", "raw"]);

/**
 * One attempt at a completion. Streams text through `onDelta` when given. Errors (HTTP, reset, malformed
 * stream) are thrown as the SDK raised them, for the retry layer to classify; SDK-level retries are off because
 * that layer owns retries (it honours Retry-After and restarts a stream from scratch).
 *
 * Streaming reads the provider model's own stream (`doStream`) rather than going through `streamText`: for a
 * single step of plain text, `streamText` adds nothing Crux uses (tools, steps, telemetry, callbacks) but costs
 * several more web-stream stages and a tee per delta; without it the server spends about a quarter less CPU per
 * streamed chunk (bench/adapter-overhead.ts, docs/models.md). What it did that matters is kept here: the same
 * prompt (a system message, then the messages as text parts) and settings, empty deltas dropped, usage and the
 * unified finish reason. A stream can fail in three ways that are all turned into a throw: an error part (even if
 * the stream then goes on), an exception while reading (connection reset), and the signal aborting (timeout or
 * cancellation), which throws the signal's reason as `streamText`'s callers saw it.
 */
export async function complete(
  model: ResolvedModel,
  request: CompletionRequest,
  options: { signal: AbortSignal; onDelta?: (delta: string) => void },
): Promise<Completion> {
  // Anthropic has no seed parameter (the SDK warns on every call); the seed still keys the response cache.
  const seed = model.provider === "anthropic" ? undefined : request.seed;
  const responseFormat = responseFormatFor(model, request);
  if (!options.onDelta) {
    const result = await generateText({
      model: model.languageModel,
      system: request.system,
      messages: request.messages,
      temperature: request.temperature,
      maxOutputTokens: request.maxOutputTokens,
      seed,
      maxRetries: 0,
      abortSignal: options.signal,
      ...(responseFormat ? { output: rawJsonOutput(responseFormat) } : {}),
    });
    return {
      text: result.text,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      finishReason: result.finishReason,
    };
  }
  const { signal, onDelta } = options;
  let reader: ReadableStreamDefaultReader<StreamPart> | undefined;
  try {
    const { stream } = await model.languageModel.doStream({
      // The prompt streamText builds from `system` and `messages` (convertToLanguageModelPrompt).
      prompt: [
        { role: "system", content: request.system },
        ...request.messages.map((m) => ({ role: m.role, content: [{ type: "text" as const, text: m.content }] })),
      ],
      temperature: request.temperature,
      maxOutputTokens: request.maxOutputTokens,
      seed,
      responseFormat,
      abortSignal: signal,
    });
    reader = stream.getReader();
    let text = "";
    let output = false;
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      if (!NOT_OUTPUT.has(part.type)) output = true;
      if (part.type === "text-delta") {
        if (part.delta === "") continue;
        text += part.delta;
        onDelta(part.delta);
      } else if (part.type === "error") {
        throw part.error;
      } else if (part.type === "finish") {
        // A cut-off stream is not an error to the SDK: it shows as finish reason "error", or "other" with no usage.
        const inputTokens = part.usage.inputTokens.total;
        const outputTokens = part.usage.outputTokens.total;
        const finishReason = part.finishReason.unified;
        if (
          finishReason === "error" ||
          (finishReason === "other" && inputTokens === undefined && outputTokens === undefined)
        ) {
          throw new IncompleteStreamError(finishReason);
        }
        return { text, inputTokens, outputTokens, finishReason };
      }
    }
    // The body ended without a finish part (Anthropic's provider, cut off): what streamText made of it.
    if (output) throw new IncompleteStreamError("other");
    throw new NoOutputGeneratedError({
      message: "No output generated. The model stream ended without a finish chunk.",
    });
  } catch (error) {
    // Aborting errors the response body with the signal's reason, or an AbortError, or (rarely) just ends it.
    if (signal.aborted) throw signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
    throw error;
  } finally {
    // Releases the connection when the stream is left early (an error part, a finish before the body's end).
    reader?.cancel().catch(() => undefined);
  }
}
