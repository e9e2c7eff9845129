import {
  EmptyResponseBodyError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  NoOutputGeneratedError,
  NoSuchModelError,
  RetryError,
  TypeValidationError,
} from "ai";
import { describe, expect, it } from "vitest";
import { classifyError, type ErrorClassification } from "./classify-error";
import { ModelCallError } from "./errors";
import { apiError, fetchFailedReset, terminatedStream } from "./test-errors";

const NOW = Date.parse("2026-11-23T12:00:00Z");

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
