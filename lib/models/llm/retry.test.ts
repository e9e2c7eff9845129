import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import {
  APICallError,
  EmptyResponseBodyError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  NoOutputGeneratedError,
  NoSuchModelError,
  RetryError,
  streamText,
  TypeValidationError,
} from "ai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isAbortError, ModelCallError } from "./errors";
import {
  backoffDelay,
  classifyError,
  DEFAULT_RETRY_POLICY,
  type ErrorClassification,
  parseRetryAfter,
  RETRY_AFTER_CEILING_MS,
  type RetryInfo,
  type RetryPolicy,
  retryPolicySchema,
  withRetries,
} from "./retry";

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: errors built the way the AI SDK builds them
// ---------------------------------------------------------------------------------------------------------------

const OPENAI_URL = "https://api.openai.com/v1/chat/completions";

function apiError(
  statusCode: number | undefined,
  options: { headers?: Record<string, string>; body?: string; message?: string; url?: string; cause?: unknown } = {},
): APICallError {
  return new APICallError({
    message: options.message ?? `HTTP ${statusCode}`,
    url: options.url ?? OPENAI_URL,
    requestBodyValues: {},
    statusCode,
    responseHeaders: options.headers,
    responseBody: options.body,
    cause: options.cause,
  });
}

/** What undici throws when the peer resets the connection before answering. */
function fetchFailedReset(): TypeError {
  const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", errno: -104, syscall: "read" });
  return new TypeError("fetch failed", { cause: reset });
}

/** What the SDK throws when a 200 stream is cut (as observed with a real socket, see the loopback tests below). */
function terminatedStream(): APICallError {
  const socket = Object.assign(new Error("other side closed"), { name: "SocketError", code: "UND_ERR_SOCKET" });
  return new APICallError({
    message: "Failed to process successful response",
    url: OPENAI_URL,
    requestBodyValues: {},
    statusCode: 200,
    responseHeaders: { "content-type": "text/event-stream" },
    cause: new TypeError("terminated", { cause: socket }),
    isRetryable: true,
  });
}

const NOW = Date.parse("2026-11-23T12:00:00Z");

// ---------------------------------------------------------------------------------------------------------------
// classifyError
// ---------------------------------------------------------------------------------------------------------------

describe("classifyError", () => {
  const cases: Array<[string, unknown, ErrorClassification]> = [
    ["429", apiError(429), { retryable: true, reason: "rate limited (429)", status: 429 }],
    [
      "429 with retry-after seconds",
      apiError(429, { headers: { "retry-after": "7" } }),
      { retryable: true, reason: "rate limited (429)", status: 429, retryAfterMs: 7000 },
    ],
    [
      "429 with retry-after HTTP-date",
      apiError(429, { headers: { "retry-after": new Date(NOW + 30_000).toUTCString() } }),
      { retryable: true, reason: "rate limited (429)", status: 429, retryAfterMs: 30_000 },
    ],
    [
      "429 with retry-after-ms (preferred over retry-after)",
      apiError(429, { headers: { "retry-after-ms": "1500", "retry-after": "2" } }),
      { retryable: true, reason: "rate limited (429)", status: 429, retryAfterMs: 1500 },
    ],
    [
      "429 out of quota",
      apiError(429, { body: '{"error":{"message":"You exceeded your current quota","code":"insufficient_quota"}}' }),
      { retryable: false, reason: "quota exhausted (429): check the provider account's billing", status: 429 },
    ],
    ["408", apiError(408), { retryable: true, reason: "request timeout (408)", status: 408 }],
    ["409", apiError(409), { retryable: true, reason: "conflict (409)", status: 409 }],
    ["500", apiError(500), { retryable: true, reason: "server error (500)", status: 500 }],
    ["502", apiError(502), { retryable: true, reason: "bad gateway (502)", status: 502 }],
    [
      "503 with retry-after",
      apiError(503, { headers: { "Retry-After": "3" } }),
      { retryable: true, reason: "service unavailable (503)", status: 503, retryAfterMs: 3000 },
    ],
    ["504", apiError(504), { retryable: true, reason: "gateway timeout (504)", status: 504 }],
    ["529 (Anthropic overloaded)", apiError(529), { retryable: true, reason: "overloaded (529)", status: 529 }],
    ["599", apiError(599), { retryable: true, reason: "server error (599)", status: 599 }],
    [
      "400",
      apiError(400, { message: "Invalid 'temperature'" }),
      { retryable: false, reason: "bad request (400) — Invalid 'temperature'", status: 400 },
    ],
    [
      "400 context length",
      apiError(400, { message: "This model's maximum context length is 8192 tokens." }),
      { retryable: false, reason: "prompt too long for the model's context window (400)", status: 400 },
    ],
    [
      "401 at OpenAI",
      apiError(401, { headers: { "retry-after": "1" } }),
      { retryable: false, reason: "authentication failed (401): check OPENAI_API_KEY", status: 401 },
    ],
    [
      "401 at Anthropic",
      apiError(401, { url: "https://api.anthropic.com/v1/messages" }),
      { retryable: false, reason: "authentication failed (401): check ANTHROPIC_API_KEY", status: 401 },
    ],
    [
      "401 elsewhere",
      apiError(401, { url: "http://localhost:8000/v1/chat/completions" }),
      { retryable: false, reason: "authentication failed (401): check the provider's API key", status: 401 },
    ],
    [
      "403",
      apiError(403),
      { retryable: false, reason: "permission denied (403): the API key may lack access to this model", status: 403 },
    ],
    [
      "404",
      apiError(404, { message: "The model `gpt-9` does not exist" }),
      {
        retryable: false,
        reason: "not found (404): check the model name and base URL — The model `gpt-9` does not exist",
        status: 404,
      },
    ],
    ["413", apiError(413), { retryable: false, reason: "request too large (413)", status: 413 }],
    [
      "422",
      apiError(422, { message: "bad field" }),
      { retryable: false, reason: "unprocessable request (422) — bad field", status: 422 },
    ],
    ["418", apiError(418, { message: "" }), { retryable: false, reason: "request rejected (418)", status: 418 }],
    [
      "fetch failed, cause ECONNRESET",
      fetchFailedReset(),
      { retryable: true, reason: "connection reset (ECONNRESET)" },
    ],
    [
      "the SDK's wrapping of it",
      apiError(undefined, { message: "Cannot connect to API: read ECONNRESET", cause: fetchFailedReset().cause }),
      { retryable: true, reason: "connection reset (ECONNRESET)" },
    ],
    [
      "fetch failed, cause ECONNREFUSED",
      new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      }),
      { retryable: true, reason: "connection refused: is the server running? (ECONNREFUSED)" },
    ],
    [
      "bare fetch failed",
      new TypeError("fetch failed"),
      { retryable: true, reason: "connection failed (fetch failed)" },
    ],
    ["socket hang up", new Error("socket hang up"), { retryable: true, reason: "connection reset (socket hang up)" }],
    [
      "terminated stream",
      terminatedStream(),
      { retryable: true, reason: "connection lost mid-response (terminated)", status: 200 },
    ],
    [
      "headers timeout",
      new TypeError("fetch failed", {
        cause: Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }),
      }),
      { retryable: true, reason: "network timeout (UND_ERR_HEADERS_TIMEOUT)" },
    ],
    [
      "JSONParseError",
      new JSONParseError({ text: "{not json", cause: new SyntaxError("Unexpected token") }),
      { retryable: true, reason: "malformed response: invalid JSON" },
    ],
    [
      "TypeValidationError",
      new TypeValidationError({ value: { foo: 1 }, cause: new Error("expected choices") }),
      { retryable: true, reason: "malformed response: unexpected data shape" },
    ],
    [
      "200 with an unparseable body",
      apiError(200, {
        message: "Invalid JSON response",
        cause: new JSONParseError({ text: "<html>", cause: new SyntaxError("Unexpected token <") }),
      }),
      { retryable: true, reason: "malformed response: invalid data in the stream", status: 200 },
    ],
    [
      "InvalidResponseDataError",
      new InvalidResponseDataError({ data: undefined, message: "Response stream ended without a finish reason." }),
      { retryable: true, reason: "malformed response: Response stream ended without a finish reason." },
    ],
    ["EmptyResponseBodyError", new EmptyResponseBodyError(), { retryable: true, reason: "empty response body" }],
    ["NoContentGeneratedError", new NoContentGeneratedError(), { retryable: true, reason: "no content generated" }],
    [
      "NoOutputGeneratedError",
      new NoOutputGeneratedError({ message: "No output generated. The model stream ended without a finish chunk." }),
      { retryable: true, reason: "truncated response: the stream ended without finishing" },
    ],
    [
      "NoOutputGeneratedError with a cause",
      new NoOutputGeneratedError({ cause: apiError(503) }),
      { retryable: true, reason: "service unavailable (503)", status: 503 },
    ],
    [
      "RetryError (SDK retries left on)",
      new RetryError({ message: "Failed after 3 attempts", reason: "maxRetriesExceeded", errors: [apiError(503)] }),
      { retryable: true, reason: "service unavailable (503)", status: 503 },
    ],
    [
      "RetryError after an abort",
      new RetryError({ message: "aborted", reason: "abort", errors: [apiError(503)] }),
      { retryable: false, reason: "aborted" },
    ],
    [
      "AbortError",
      new DOMException("This operation was aborted", "AbortError"),
      { retryable: false, reason: "aborted" },
    ],
    ["TimeoutError", new DOMException("timeout", "TimeoutError"), { retryable: true, reason: "timed out" }],
    [
      "LoadAPIKeyError",
      new LoadAPIKeyError({ message: "OpenAI API key is missing." }),
      { retryable: false, reason: "missing API key: OpenAI API key is missing." },
    ],
    [
      "NoSuchModelError",
      new NoSuchModelError({ modelId: "gpt-9", modelType: "languageModel" }),
      { retryable: false, reason: "unknown model: gpt-9" },
    ],
    [
      "InvalidPromptError",
      new InvalidPromptError({ prompt: "", message: "messages must not be empty" }),
      { retryable: false, reason: "invalid request: Invalid prompt: messages must not be empty" },
    ],
    [
      "Anthropic overloaded inside a stream",
      { type: "overloaded_error", message: "Overloaded" },
      { retryable: true, reason: "overloaded (529)", status: 529 },
    ],
    [
      "OpenAI stream error object",
      { message: "The server had an error", type: "server_error", statusCode: 500, isRetryable: true },
      { retryable: true, reason: "server error (500)", status: 500 },
    ],
    [
      "OpenAI stream error object, out of quota",
      { message: "You exceeded your current quota", code: "insufficient_quota", statusCode: 429, isRetryable: false },
      { retryable: false, reason: "quota exhausted (429): check the provider account's billing", status: 429 },
    ],
    [
      "compatible server error frame",
      { error: { message: "context_length_exceeded", type: "invalid_request_error" } },
      { retryable: false, reason: "prompt too long for the model's context window (400)", status: 400 },
    ],
    [
      "an error marked retryable by the adapter",
      Object.assign(new Error("the model returned an empty answer"), { retryable: true }),
      { retryable: true, reason: "the model returned an empty answer" },
    ],
    [
      "a ModelCallError passes through",
      new ModelCallError({
        label: "x",
        reason: "rate limited (429)",
        attempts: 4,
        retryable: true,
        status: 429,
        cause: 1,
      }),
      { retryable: true, reason: "rate limited (429)", status: 429 },
    ],
    ["anything else", new RangeError("boom"), { retryable: false, reason: "unexpected error: boom" }],
    ["a string", "weird", { retryable: false, reason: "unexpected error: weird" }],
  ];

  it.each(cases)("%s", (_name, error, expected) => {
    expect(classifyError(error, { now: NOW })).toEqual(expected);
  });

  it("names the configured key variable for a 401", () => {
    const error = apiError(401, { url: "http://127.0.0.1:8000/v1/chat/completions" });
    expect(classifyError(error, { apiKeyVariable: "CRUX_PROVIDER_LOCAL_API_KEY" }).reason).toBe(
      "authentication failed (401): check CRUX_PROVIDER_LOCAL_API_KEY",
    );
  });

  it("shortens long provider messages to one line", () => {
    const reason = classifyError(apiError(400, { message: `bad\n${"x".repeat(500)}` })).reason;
    expect(reason).not.toContain("\n");
    expect(reason.length).toBeLessThan(240);
    expect(reason.endsWith("…")).toBe(true);
  });

  it("survives cause cycles", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(classifyError(a).retryable).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds, milliseconds and HTTP-dates, case-insensitively", () => {
    expect(parseRetryAfter({ "retry-after": "2" }, NOW)).toBe(2000);
    expect(parseRetryAfter({ "retry-after": "0.5" }, NOW)).toBe(500);
    expect(parseRetryAfter({ "Retry-After-Ms": "250" }, NOW)).toBe(250);
    expect(parseRetryAfter({ "retry-after": new Date(NOW + 90_000).toUTCString() }, NOW)).toBe(90_000);
  });

  it("treats a past date as 0, ignores nonsense and caps absurd values", () => {
    expect(parseRetryAfter({ "retry-after": new Date(NOW - 5000).toUTCString() }, NOW)).toBe(0);
    expect(parseRetryAfter({ "retry-after": "soon" }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "-3" }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "abc", "retry-after": "1" }, NOW)).toBe(1000);
    expect(parseRetryAfter({ "retry-after": "99999999" }, NOW)).toBe(RETRY_AFTER_CEILING_MS);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter({}, NOW)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The same errors as the SDK really produces them: real fetch, a loopback server, real providers
// ---------------------------------------------------------------------------------------------------------------

describe("classifyError on errors produced by the AI SDK over a real socket", () => {
  type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let behaviour: Behaviour = (_req, res) => res.end();
  let server: http.Server;
  let baseURL = "";

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => behaviour(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const chunk = (content: string) =>
    `data: ${JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: null }],
    })}\n\n`;

  /** Streams from the server, returning the first error the SDK reports (stream part or rejection). */
  async function firstStreamError(provider: "openai" | "anthropic"): Promise<unknown> {
    const model =
      provider === "openai"
        ? createOpenAI({ baseURL, apiKey: "test" }).chat("gpt-test")
        : createAnthropic({ baseURL, apiKey: "test" })("claude-test");
    const errors: unknown[] = [];
    try {
      const result = streamText({
        model,
        prompt: "hi",
        maxRetries: 0,
        maxOutputTokens: 16,
        // The default handler logs every stream error to the console.
        onError: () => {},
      });
      for await (const part of result.fullStream) if (part.type === "error") errors.push(part.error);
    } catch (error) {
      errors.push(error);
    }
    return errors[0];
  }

  it("a connection reset before any response", async () => {
    behaviour = (req) => req.socket.destroy();
    const error = await firstStreamError("openai");
    expect(APICallError.isInstance(error)).toBe(true);
    expect(classifyError(error)).toEqual({ retryable: true, reason: "connection reset (UND_ERR_SOCKET)" });
  });

  it("a stream cut after the first chunk", async () => {
    behaviour = (req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("Hello"), () => setTimeout(() => req.socket.destroy(), 10));
    };
    const error = await firstStreamError("openai");
    expect(classifyError(error)).toEqual({
      retryable: true,
      reason: "connection lost mid-response (terminated)",
      status: 200,
    });
  });

  it("a 429 with retry-after", async () => {
    behaviour = (_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
      res.end(
        JSON.stringify({ error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }),
      );
    };
    expect(classifyError(await firstStreamError("openai"))).toEqual({
      retryable: true,
      reason: "rate limited (429)",
      status: 429,
      retryAfterMs: 7000,
    });
  });

  it("a malformed stream chunk", async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: {not json\n\ndata: [DONE]\n\n");
    };
    const error = await firstStreamError("openai");
    expect(JSONParseError.isInstance(error)).toBe(true);
    expect(classifyError(error).retryable).toBe(true);
  });

  it("Anthropic overloaded in the middle of a stream", async () => {
    behaviour = (_req, res) => {
      const start = {
        type: "message_start",
        message: {
          id: "m1",
          type: "message",
          role: "assistant",
          content: [],
          model: "claude-test",
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 1 },
        },
      };
      const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(
        `event: message_start\ndata: ${JSON.stringify(start)}\n\nevent: error\ndata: ${JSON.stringify(overloaded)}\n\n`,
      );
    };
    expect(classifyError(await firstStreamError("anthropic"))).toEqual({
      retryable: true,
      reason: "overloaded (529)",
      status: 529,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Policy and backoff
// ---------------------------------------------------------------------------------------------------------------

describe("retryPolicySchema", () => {
  it("has the documented defaults", () => {
    expect(retryPolicySchema.parse({})).toEqual({
      maxAttempts: 4,
      baseDelayMs: 500,
      maxDelayMs: 20_000,
      jitter: 0.2,
      timeoutMs: 120_000,
      maxRetryAfterMs: 60_000,
    });
    expect(DEFAULT_RETRY_POLICY).toEqual(retryPolicySchema.parse({}));
  });

  it("rejects typos and inconsistent delays", () => {
    expect(retryPolicySchema.safeParse({ maxAttempt: 3 }).success).toBe(false);
    expect(retryPolicySchema.safeParse({ baseDelayMs: 5000, maxDelayMs: 1000 }).success).toBe(false);
    expect(retryPolicySchema.safeParse({ maxAttempts: 0 }).success).toBe(false);
    expect(retryPolicySchema.safeParse({ jitter: 1.5 }).success).toBe(false);
  });
});

describe("backoffDelay", () => {
  it("doubles from baseDelayMs up to maxDelayMs and spreads by ±jitter", () => {
    const policy = DEFAULT_RETRY_POLICY;
    const exact = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(policy, n, () => 0.5));
    expect(exact).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(400);
    expect(backoffDelay(policy, 1, () => 0.999_999)).toBe(600);
    // At the cap the spread only goes down, so the ceiling holds and callers still do not retry in step.
    expect(backoffDelay(policy, 10, () => 0.999_999)).toBe(20_000);
    expect(backoffDelay(policy, 10, () => 0)).toBe(16_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// withRetries
// ---------------------------------------------------------------------------------------------------------------

/** Records requested delays and returns at once. */
function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

/** An attempt function that throws the given errors in turn, then returns `value`. */
function failing<T>(errors: unknown[], value: T) {
  const calls: number[] = [];
  const attempt = async ({ attempt: n }: { attempt: number }) => {
    calls.push(n);
    const error = errors[n - 1];
    if (error !== undefined) throw error;
    return value;
  };
  return { attempt, calls };
}

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, ...overrides });
const noJitter = () => 0.5;

describe("withRetries", () => {
  it("returns the first success without waiting", async () => {
    const { delays, sleep } = recordingSleep();
    const result = await withRetries(async () => "ok", { policy: policy(), sleep, random: noJitter });
    expect(result).toEqual({ value: "ok", attempts: 1 });
    expect(delays).toEqual([]);
  });

  it("retries transient failures with growing delays and reports each retry", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempt, calls } = failing([apiError(503), apiError(529), fetchFailedReset()], "done");
    const retries: RetryInfo[] = [];
    const result = await withRetries(attempt, {
      policy: policy(),
      sleep,
      random: noJitter,
      onRetry: (info) => retries.push(info),
    });
    expect(result).toEqual({ value: "done", attempts: 4 });
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(delays).toEqual([500, 1000, 2000]);
    expect(retries.map(({ attempt: n, delayMs, reason, status }) => ({ n, delayMs, reason, status }))).toEqual([
      { n: 1, delayMs: 500, reason: "service unavailable (503)", status: 503 },
      { n: 2, delayMs: 1000, reason: "overloaded (529)", status: 529 },
      { n: 3, delayMs: 2000, reason: "connection reset (ECONNRESET)", status: undefined },
    ]);
  });

  it("gives up at maxAttempts with a readable ModelCallError", async () => {
    const { delays, sleep } = recordingSleep();
    const last = apiError(429);
    const { attempt, calls } = failing([apiError(429), apiError(429), apiError(429), last], "never");
    const error = await withRetries(attempt, {
      policy: policy(),
      sleep,
      random: noJitter,
      label: "openai:gpt-4o",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCallError);
    expect(error).toMatchObject({
      message: "openai:gpt-4o failed after 4 attempts: rate limited (429)",
      reason: "rate limited (429)",
      attempts: 4,
      retryable: true,
      status: 429,
      cause: last,
    });
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it("does not retry a non-retryable failure", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempt, calls } = failing([apiError(401)], "never");
    const error = await withRetries(attempt, { policy: policy(), sleep, label: "openai:gpt-4o" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      message: "openai:gpt-4o failed after 1 attempt: authentication failed (401): check OPENAI_API_KEY",
      attempts: 1,
      retryable: false,
      status: 401,
    });
    expect(calls).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it("keeps delays within maxDelayMs while they grow", async () => {
    const { delays, sleep } = recordingSleep();
    const errors = Array.from({ length: 9 }, () => apiError(500));
    const { attempt } = failing(errors, "ok");
    const random = (() => {
      let i = 0;
      const values = [0, 0.999, 0.5, 0.25, 0.75, 0.999, 0, 0.999, 0.5];
      return () => values[i++ % values.length] ?? 0.5;
    })();
    const result = await withRetries(attempt, { policy: policy({ maxAttempts: 10, maxDelayMs: 5000 }), sleep, random });
    expect(result.attempts).toBe(10);
    expect(delays).toHaveLength(9);
    for (const [i, delay] of delays.entries()) {
      const nominal = Math.min(5000, 500 * 2 ** i);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
      expect(delay).toBeLessThanOrEqual(Math.min(5000, Math.ceil(nominal * 1.2)));
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
  });

  it("never retries sooner than retry-after, and lets longer backoff win", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempt } = failing(
      [
        apiError(429, { headers: { "retry-after": "7" } }),
        apiError(429, { headers: { "retry-after-ms": "100" } }),
        apiError(503, { headers: { "retry-after": "0" } }),
      ],
      "ok",
    );
    await withRetries(attempt, { policy: policy(), sleep, random: noJitter });
    expect(delays).toEqual([7000, 1000, 2000]);
  });

  it("waits for a retry-after longer than maxDelayMs if it is within maxRetryAfterMs", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempt } = failing([apiError(429, { headers: { "retry-after": "45" } })], "ok");
    await withRetries(attempt, { policy: policy(), sleep, random: noJitter });
    expect(delays).toEqual([45_000]);
  });

  it("gives up at once when retry-after exceeds maxRetryAfterMs", async () => {
    const { delays, sleep } = recordingSleep();
    const { attempt, calls } = failing([apiError(429, { headers: { "retry-after": "120" } })], "ok");
    const error = await withRetries(attempt, { policy: policy(), sleep, label: "anthropic:claude" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      message:
        "anthropic:claude failed after 1 attempt: rate limited (429); the server asked to wait 120s, more than the 60s limit",
      attempts: 1,
      retryable: true,
      status: 429,
    });
    expect(calls).toEqual([1]);
    expect(delays).toEqual([]);
  });

  it("times out a hung attempt, aborting its signal, and succeeds on the retry", async () => {
    const { delays, sleep } = recordingSleep();
    const signals: AbortSignal[] = [];
    const retries: RetryInfo[] = [];
    const result = await withRetries(
      ({ attempt, signal }) => {
        signals.push(signal);
        // The first attempt ignores its signal and never settles: it must be abandoned all the same.
        return attempt === 1 ? new Promise<string>(() => {}) : Promise.resolve("second time lucky");
      },
      { policy: policy({ timeoutMs: 20 }), sleep, random: noJitter, onRetry: (info) => retries.push(info) },
    );
    expect(result).toEqual({ value: "second time lucky", attempts: 2 });
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ name: "TimeoutError" });
    expect(signals[1]?.aborted).toBe(false);
    expect(retries[0]?.reason).toBe("timed out after 20ms");
    expect(delays).toEqual([500]);
  });

  it("counts an attempt that rejects on its timeout signal as timed out", async () => {
    const { sleep } = recordingSleep();
    const error = await withRetries(
      ({ signal }) =>
        new Promise<string>((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
      { policy: policy({ timeoutMs: 5, maxAttempts: 2 }), sleep, label: "m" },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "m failed after 2 attempts: timed out after 5ms", retryable: true });
  });

  it("stops at once when the caller aborts during a backoff wait", async () => {
    const controller = new AbortController();
    const delays: number[] = [];
    const calls: number[] = [];
    // This sleep ignores its signal on purpose: cancelling must not depend on it.
    const sleep = (ms: number) => {
      delays.push(ms);
      setTimeout(() => controller.abort(), 1);
      return new Promise<void>(() => {});
    };
    const error = await withRetries(
      async ({ attempt }) => {
        calls.push(attempt);
        throw apiError(503);
      },
      { policy: policy(), signal: controller.signal, sleep, random: noJitter },
    ).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(ModelCallError);
    expect(calls).toEqual([1]);
    expect(delays).toEqual([500]);
  });

  it("stops at once with the real sleep too", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = withRetries(
      async () => {
        setTimeout(() => controller.abort(new Error("match over")), 5);
        throw apiError(429, { headers: { "retry-after": "30" } });
      },
      { policy: policy(), signal: controller.signal },
    );
    const error = await pending.catch((e: unknown) => e);
    // Whatever reason the caller gave, it comes back as an AbortError.
    expect(isAbortError(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("stops at once when the caller aborts during an attempt", async () => {
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const pending = withRetries(
      ({ signal }) => {
        seen.push(signal);
        setTimeout(() => controller.abort(), 1);
        return new Promise<string>(() => {});
      },
      { policy: policy(), signal: controller.signal },
    );
    const error = await pending.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
  });

  it("treats an attempt's own AbortError after a caller abort as the abort, not a failure", async () => {
    const controller = new AbortController();
    const error = await withRetries(
      ({ signal }) =>
        new Promise<string>((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
          controller.abort();
        }),
      { policy: policy(), signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });

  it("does not start when the signal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const attempt = vi.fn(async () => "x");
    const error = await withRetries(attempt, { policy: policy(), signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(attempt).not.toHaveBeenCalled();
  });

  it("uses an injected classifier and handles attempts that throw synchronously", async () => {
    const { sleep } = recordingSleep();
    let n = 0;
    const result = await withRetries(
      () => {
        n++;
        if (n === 1) throw new Error("empty answer");
        return Promise.resolve(n);
      },
      {
        policy: policy(),
        sleep,
        random: noJitter,
        classify: (error) => ({ retryable: true, reason: `custom: ${(error as Error).message}` }),
      },
    );
    expect(result).toEqual({ value: 2, attempts: 2 });
  });

  it("leaves no listener on the caller's signal", async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, "addEventListener");
    const remove = vi.spyOn(controller.signal, "removeEventListener");
    const { sleep } = recordingSleep();
    const { attempt } = failing([apiError(500), apiError(500)], "ok");
    await withRetries(attempt, { policy: policy(), sleep, signal: controller.signal, random: noJitter });
    expect(add.mock.calls.length).toBeGreaterThan(0);
    expect(remove.mock.calls.length).toBe(add.mock.calls.length);
  });
});
