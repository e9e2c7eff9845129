import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, jsonSchema, type LanguageModel, Output, streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { faultsThen, promptText, scriptedDebate, sequence } from "../support/fake-llm/scripted";
import {
  type FakeLlmServer,
  type Protocol,
  type RecordedRequest,
  rejectStructuredOutput,
  startFakeLlmServer,
} from "../support/fake-llm/server";

/**
 * The fake provider against the REAL AI SDK clients. Besides checking the fake, these tests pin down what the
 * SDK does with each fault (error part vs thrown error vs quiet "other" finish), which the adapter's retry logic
 * relies on: if an SDK upgrade changes that, these fail first.
 */

const SYSTEM = "You are a careful assistant.";
const PROMPT = "Say three words.";
// Unknown model ids make @ai-sdk/anthropic warn about max output tokens unless they are set explicitly.
const MAX_OUTPUT_TOKENS = 200;

let server: FakeLlmServer;
let baseURL: string;

beforeAll(async () => {
  server = await startFakeLlmServer();
  baseURL = `${server.url}/v1`;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setResponder(scriptedDebate);
  server.requests.length = 0;
});

interface ProviderCase {
  name: string;
  protocol: Protocol;
  model(): LanguageModel;
  keyHeader: [string, string];
  /** What the SDK makes of a stream that ends cleanly without its closing events. */
  truncated: { finishReason: string; errorPart: boolean };
}

const providers: ProviderCase[] = [
  {
    name: "openai (.chat)",
    protocol: "openai",
    model: () => createOpenAI({ baseURL, apiKey: "sk-openai" }).chat("gpt-test"),
    keyHeader: ["authorization", "Bearer sk-openai"],
    truncated: { finishReason: "other", errorPart: false },
  },
  {
    name: "openai-compatible",
    protocol: "openai",
    model: () => createOpenAICompatible({ name: "local", baseURL, apiKey: "local-key", includeUsage: true })("llama"),
    keyHeader: ["authorization", "Bearer local-key"],
    // Only this provider notices the missing finish_reason: "Response stream ended without a finish reason."
    truncated: { finishReason: "error", errorPart: true },
  },
  {
    name: "anthropic",
    protocol: "anthropic",
    model: () => createAnthropic({ baseURL, apiKey: "sk-ant" })("claude-test"),
    keyHeader: ["x-api-key", "sk-ant"],
    truncated: { finishReason: "other", errorPart: false },
  },
];

/** Streams one answer and records everything observable: deltas, part types, error parts, a thrown error. */
async function drain(model: LanguageModel, abortSignal?: AbortSignal) {
  const result = streamText({
    model,
    system: SYSTEM,
    prompt: PROMPT,
    maxRetries: 0,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    abortSignal,
    onError: () => {}, // errors are collected from the stream; the default handler would only log them
  });
  const deltas: string[] = [];
  const types: string[] = [];
  const errors: unknown[] = [];
  let thrown: unknown;
  try {
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta") deltas.push(part.text);
      if (part.type === "error") errors.push(part.error);
    }
  } catch (error) {
    thrown = error;
  }
  return { result, deltas, types, errors, thrown };
}

function generate(model: LanguageModel, abortSignal?: AbortSignal) {
  return generateText({
    model,
    system: SYSTEM,
    prompt: PROMPT,
    maxRetries: 0,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    abortSignal,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

function apiError(error: unknown): APICallError {
  expect(APICallError.isInstance(error), `not an APICallError: ${String(error)}`).toBe(true);
  return error as APICallError;
}

function lastRequest(): RecordedRequest {
  const request = server.requests.at(-1);
  if (request === undefined) throw new Error("no request recorded");
  return request;
}

describe.each(providers)("fake LLM via $name", (provider) => {
  it("streams the chunks in order and finishes with usage; records the request", async () => {
    const chunks = ["Alpha ", "beta ", "gamma."];
    server.setResponder(() => ({ kind: "text", text: chunks.join(""), chunks, usage: { input: 12, output: 3 } }));
    const { result, deltas, errors, thrown } = await drain(provider.model());
    expect(thrown).toBeUndefined();
    expect(errors).toEqual([]);
    expect(deltas).toEqual(chunks);
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect([usage.inputTokens, usage.outputTokens]).toEqual([12, 3]);

    const request = lastRequest();
    expect(request.protocol).toBe(provider.protocol);
    expect(request.path).toBe(provider.protocol === "openai" ? "/v1/chat/completions" : "/v1/messages");
    expect(request.headers[provider.keyHeader[0]]).toBe(provider.keyHeader[1]);
    expect(request.body).toMatchObject({ stream: true });
    expect(promptText(request)).toBe(`${SYSTEM}\n\n${PROMPT}`);
  });

  it("answers without streaming", async () => {
    server.setResponder(() => ({ kind: "text", text: "Plain answer.", usage: { input: 5, output: 2 } }));
    const result = await generate(provider.model());
    expect(result.text).toBe("Plain answer.");
    expect(result.finishReason).toBe("stop");
    expect([result.usage.inputTokens, result.usage.outputTokens]).toEqual([5, 2]);
    expect(lastRequest().body).not.toMatchObject({ stream: true });
  });

  it("429 with retry-after is a retryable APICallError carrying the header (streaming: error part)", async () => {
    server.setResponder(() => ({ kind: "status", status: 429, retryAfterSeconds: 7 }));
    const error = apiError(await rejection(generate(provider.model())));
    expect([error.statusCode, error.isRetryable, error.responseHeaders?.["retry-after"]]).toEqual([429, true, "7"]);

    const streamed = await drain(provider.model());
    expect(streamed.thrown).toBeUndefined();
    expect(streamed.deltas).toEqual([]);
    expect(apiError(streamed.errors[0]).statusCode).toBe(429);
    // With no step finished, the result promises reject (NoOutputGeneratedError).
    await expect(streamed.result.text).rejects.toThrow(/No output generated/);
  });

  it("overload statuses are retryable, 401 is not", async () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [529, true],
      [401, false],
      [400, false],
    ] as const) {
      server.setResponder(() => ({ kind: "status", status, message: `status ${status} from the fake` }));
      const error = apiError(await rejection(generate(provider.model())));
      expect([error.statusCode, error.isRetryable, error.message]).toEqual([
        status,
        retryable,
        `status ${status} from the fake`,
      ]);
    }
  });

  it("the SDK's own retries honour retry-after", async () => {
    server.setResponder(sequence({ kind: "status", status: 429, retryAfterSeconds: 0 }, { kind: "text", text: "ok" }));
    const result = await generateText({
      model: provider.model(),
      prompt: PROMPT,
      maxRetries: 1,
      maxOutputTokens: MAX_OUTPUT_TOKENS,
    });
    expect(result.text).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("a reset mid-stream delivers the first chunks, then the stream THROWS a retryable APICallError", async () => {
    server.setResponder(() => ({ kind: "reset", afterChunks: 2, text: "one two three four" }));
    const { deltas, thrown } = await drain(provider.model());
    expect(deltas).toEqual(["one ", "two "]);
    const error = apiError(thrown);
    expect([error.message, error.statusCode, error.isRetryable]).toEqual([
      "Failed to process successful response",
      200,
      true,
    ]);
    // Without streaming the body is cut off the same way.
    expect(apiError(await rejection(generate(provider.model()))).isRetryable).toBe(true);
  });

  it("a malformed line is an error part; the stream goes on and still finishes with stop", async () => {
    server.setResponder(() => ({ kind: "malformed", afterChunks: 1, text: "one two three" }));
    const { result, deltas, errors, thrown, types } = await drain(provider.model());
    expect(thrown).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe("AI_JSONParseError");
    expect(types.indexOf("error")).toBeGreaterThan(types.indexOf("text-delta"));
    expect(deltas.join("")).toBe("one two three");
    expect(await result.finishReason).toBe("stop");
    // Without streaming: an unparseable 200 body, not retryable.
    const error = apiError(await rejection(generate(provider.model())));
    expect([error.message, error.isRetryable]).toEqual(["Invalid JSON response", false]);
  });

  it("a truncated stream ends without throwing; only the finish reason tells", async () => {
    server.setResponder(() => ({ kind: "truncated", afterChunks: 2, text: "one two three" }));
    const { result, deltas, errors, thrown } = await drain(provider.model());
    expect(thrown).toBeUndefined();
    expect(deltas).toEqual(["one ", "two "]);
    expect(errors.length > 0).toBe(provider.truncated.errorPart);
    expect(await result.finishReason).toBe(provider.truncated.finishReason);
    expect((await result.usage).outputTokens).toBeUndefined();
  });

  it("an empty answer is empty text with finish reason stop", async () => {
    server.setResponder(() => ({ kind: "empty" }));
    const streamed = await drain(provider.model());
    expect([streamed.deltas.join(""), await streamed.result.text, await streamed.result.finishReason]).toEqual([
      "",
      "",
      "stop",
    ]);
    const result = await generate(provider.model());
    expect([result.text, result.finishReason]).toEqual(["", "stop"]);
  });

  it("a hanging provider is ended promptly by an AbortSignal", async () => {
    server.setResponder(() => ({ kind: "hang" }));
    const started = Date.now();
    const error = await rejection(generate(provider.model(), AbortSignal.timeout(150)));
    expect((error as Error).name).toBe("TimeoutError");
    // streamText does not throw on abort: the stream ends with an "abort" part.
    const streamed = await drain(provider.model(), AbortSignal.timeout(150));
    expect([streamed.thrown, streamed.types.at(-1)]).toEqual([undefined, "abort"]);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("fake LLM server", () => {
  it("serves health checks and model lists, and 404s unknown paths in OpenAI's error shape", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const models = (await (await fetch(`${baseURL}/models`)).json()) as { object: string; data: { id: string }[] };
    expect(models.object).toBe("list");
    expect(models.data.map((model) => model.id)).toContain("gpt-test");
    const missing = await fetch(`${baseURL}/responses`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: "Invalid URL (POST /v1/responses)" } });
    expect(server.requests).toEqual([]);
  });

  it("close() ends hanging requests and open streams", async () => {
    // The first call hangs before any byte is sent; the second stalls after its headers (first delta in 10 s).
    const respond = sequence({ kind: "hang" }, { kind: "text", text: "never finished" });
    const own = await startFakeLlmServer({ respond, chunkDelayMs: 10_000 });
    const model = createOpenAI({ baseURL: `${own.url}/v1`, apiKey: "k" }).chat("gpt-test");
    const hanging = rejection(generate(model));
    await vi.waitFor(() => expect(own.requests).toHaveLength(1));
    const streaming = drain(model);
    await vi.waitFor(() => expect(own.requests).toHaveLength(2));
    const started = Date.now();
    await own.close();
    // A socket closed before the response headers: undici's "other side closed", wrapped as retryable.
    const closed = apiError(await hanging);
    expect([closed.message, closed.isRetryable]).toEqual(["Cannot connect to API: other side closed", true]);
    expect((await streaming).thrown ?? (await streaming).errors[0]).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("structured output", () => {
  const verdictSchema = {
    type: "object",
    properties: {
      probabilities: { type: "array", items: { type: "number" } },
      action: { type: "string", enum: ["continue", "end"] },
      reasoning: { type: "string" },
      question: { type: ["string", "null"] },
    },
    required: ["probabilities", "action", "reasoning", "question"],
    additionalProperties: false,
  } as const;

  function judge(model: LanguageModel) {
    return generateText({
      model,
      system: 'You are the judge. Answer {"probabilities": [...]}.',
      prompt: "Give probabilities.",
      maxRetries: 0,
      maxOutputTokens: MAX_OUTPUT_TOKENS,
      output: Output.object({ schema: jsonSchema(verdictSchema), name: "verdict" }),
    });
  }

  it.each<[string, () => LanguageModel, string]>([
    ["openai (.chat)", () => createOpenAI({ baseURL, apiKey: "k" }).chat("gpt-test"), "json_schema"],
    [
      "openai-compatible with structured outputs",
      () => createOpenAICompatible({ name: "local", baseURL, supportsStructuredOutputs: true })("llama"),
      "json_schema",
    ],
    [
      "openai-compatible without (JSON mode)",
      () => createOpenAICompatible({ name: "local", baseURL })("llama"),
      "json_object",
    ],
    [
      "anthropic, native output format",
      () => createAnthropic({ baseURL, apiKey: "k" })("claude-haiku-4-5"),
      "anthropic_format",
    ],
    [
      "anthropic, forced JSON tool",
      () => createAnthropic({ baseURL, apiKey: "k" })("claude-3-5-haiku-latest"),
      "anthropic_tool",
    ],
  ])("%s: the request is recorded with its kind and answered with JSON of the schema", async (_, model, kind) => {
    const result = await judge(model());
    // JSON mode carries no schema, so the scripted judge cannot know the question key is wanted.
    const question = kind === "json_object" ? {} : { question: null };
    expect(result.output).toEqual({
      probabilities: [0.3, 0.7],
      action: "continue",
      reasoning: expect.any(String),
      ...question,
    });
    const structured = lastRequest().structuredOutput;
    expect(structured?.kind).toBe(kind);
    if (kind !== "json_object") expect(structured?.schema).toMatchObject({ required: verdictSchema.required });
  });

  it("a plain request is recorded as such", async () => {
    await generate(createOpenAI({ baseURL, apiKey: "k" }).chat("gpt-test"));
    expect(lastRequest().structuredOutput).toBeNull();
  });

  it("rejectStructuredOutput answers 400 to structured requests only, in each protocol's shape", async () => {
    server.setResponder(rejectStructuredOutput(() => ({ kind: "text", text: "plain" })));
    const openai = apiError(await rejection(judge(createOpenAI({ baseURL, apiKey: "k" }).chat("gpt-test"))));
    expect(openai.statusCode).toBe(400);
    expect(openai.message).toMatch(/'response_format' of type 'json_schema' is not supported/);
    const anthropic = apiError(await rejection(judge(createAnthropic({ baseURL, apiKey: "k" })("claude-haiku-4-5"))));
    expect(anthropic.statusCode).toBe(400);
    expect(anthropic.message).toMatch(/output_config.format/);
    expect((await generate(createOpenAI({ baseURL, apiKey: "k" }).chat("gpt-test"))).text).toBe("plain");
  });
});

describe("scripted replies", () => {
  const story = [
    "Mara kept the lighthouse on the northern cape for thirty years.",
    "Every night she climbed the spiral stairs with a lantern in her hand.",
    "One winter a ship called the Heron ran aground on the rocks below.",
    "Mara rowed out alone and brought all eleven sailors back to shore.",
  ].join(" ");

  async function ask(system: string, prompt: string): Promise<string> {
    const model = createAnthropic({ baseURL, apiKey: "k" })("claude-test");
    return (await generateText({ model, system, prompt, maxOutputTokens: MAX_OUTPUT_TOKENS })).text;
  }

  it("a debater quotes exact sentences of the story, deterministically, in at most 80 words", async () => {
    const prompt = `<story>\n${story}\n</story>\nArgue for answer A.`;
    const text = await ask("You are a debater.", prompt);
    const quotes = [...text.matchAll(/<quote>(.*?)<\/quote>/g)].map((match) => match[1] ?? "");
    expect(quotes.length).toBeGreaterThanOrEqual(1);
    expect(quotes.length).toBeLessThanOrEqual(2);
    for (const quote of quotes) expect(story).toContain(quote);
    expect(text.split(/\s+/).length).toBeLessThanOrEqual(80);
    expect(await ask("You are a debater.", prompt)).toBe(text);
  });

  it("a judge answers JSON, ending in the final round", async () => {
    const judge = (prompt: string) => ask("You are the judge. Reply with JSON.", prompt);
    expect(JSON.parse(await judge("Give probabilities for each answer."))).toMatchObject({
      probabilities: [0.3, 0.7],
      action: "continue",
    });
    expect(JSON.parse(await judge("This is the final round. Give probabilities."))).toMatchObject({ action: "end" });
    expect(await ask("Hello", "Anything")).toMatch(/scripted reply/);
  });

  it("sequence() repeats its last reply; faultsThen() hands over after the faults", async () => {
    const request = { path: "/v1/messages", protocol: "anthropic", headers: {}, body: {}, at: 0 } as const;
    const next = sequence({ kind: "empty" }, { kind: "hang" });
    const kinds = [(await next(request, 0)).kind, (await next(request, 1)).kind, (await next(request, 2)).kind];
    expect(kinds).toEqual(["empty", "hang", "hang"]);
    // retry-after 0 keeps the SDK's retry immediate (its own backoff would wait 2 s).
    const fault = { kind: "status", status: 503, retryAfterSeconds: 0 } as const;
    server.setResponder(faultsThen([fault], () => ({ kind: "text", text: "fine" })));
    const model = createOpenAI({ baseURL, apiKey: "k" }).chat("gpt-test");
    const result = await generateText({ model, prompt: PROMPT, maxRetries: 1, maxOutputTokens: MAX_OUTPUT_TOKENS });
    expect(result.text).toBe("fine");
    expect(server.requests).toHaveLength(2);
  });
});
