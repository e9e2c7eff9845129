import {
  AISDKError,
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  LoadSettingError,
  NoContentGeneratedError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  NoSuchModelError,
  RetryError,
  TypeValidationError,
} from "ai";
import { z } from "zod";
import { abortErrorFor, isAbortError, isTimeoutError, ModelCallError } from "./errors";

/**
 * Fault handling for language-model calls: which failures are worth another attempt (`classifyError`) and the
 * loop that makes them (`withRetries`). The AI SDK's own retries should be off (`maxRetries: 0`) when this is
 * used, so one policy, with per-attempt timeouts and caller cancellation, governs every provider.
 */

// ---------------------------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------------------------

/** Whether an error is worth another attempt, and why (the reason ends up in logs and the UI). */
export interface ErrorClassification {
  retryable: boolean;
  /** Short human-readable cause, e.g. "rate limited (429)". */
  reason: string;
  /** How long the server asked us to wait (from `retry-after-ms` / `retry-after`), in ms. */
  retryAfterMs?: number;
  /** HTTP status, when the failure came with one (or a provider error type that stands for one). */
  status?: number;
}

/** Context that makes reasons more useful; everything is optional. */
export interface ClassifyOptions {
  /** Clock for HTTP-date `retry-after` values (ms since the epoch). Defaults to `Date.now()`. */
  now?: number;
  /**
   * The variable holding the key, named in the 401 reason ("check OPENAI_API_KEY"). When absent it is inferred for
   * api.openai.com and api.anthropic.com from the failed request's URL.
   */
  apiKeyVariable?: string;
}

/**
 * Largest wait a `retry-after` header is parsed to. Only guards against absurd values (a date years ahead);
 * `withRetries` applies the real limit, `maxRetryAfterMs`, and gives up above it.
 */
export const RETRY_AFTER_CEILING_MS = 3_600_000;

/** Longest provider message quoted in a reason. */
const DETAIL_MAX = 200;

/**
 * Network error codes seen in Node (undici, net) and Bun, walking `cause` chains. Mirrors the list the AI SDK
 * itself retries on (provider-utils `handleFetchError`), grouped by what a person should be told.
 */
const NETWORK_CODES: Record<string, string> = {
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  UND_ERR_SOCKET: "connection reset",
  ConnectionClosed: "connection reset",
  ECONNREFUSED: "connection refused: is the server running?",
  ConnectionRefused: "connection refused: is the server running?",
  FailedToOpenSocket: "connection refused: is the server running?",
  ETIMEDOUT: "network timeout",
  UND_ERR_CONNECT_TIMEOUT: "network timeout",
  UND_ERR_HEADERS_TIMEOUT: "network timeout",
  UND_ERR_BODY_TIMEOUT: "network timeout",
  ENOTFOUND: "host not found: check the base URL",
  EAI_AGAIN: "host not found: check the base URL",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "network unreachable",
};

/** Messages of network failures that carry no code (undici's own TypeErrors, Node's http client). */
const NETWORK_MESSAGES: Array<[RegExp, string]> = [
  [/other side closed/i, "connection closed by the server"],
  [/socket hang up/i, "connection reset (socket hang up)"],
  [/ECONNRESET/, "connection reset (ECONNRESET)"],
  [/^(fetch failed|failed to fetch)$/i, "connection failed (fetch failed)"],
];

/**
 * Provider error types sent as plain objects inside a stream (Anthropic `{ type: "overloaded_error" }`, OpenAI
 * and compatible servers `{ type, code }`), mapped to the HTTP status they stand for.
 */
const PROVIDER_ERROR_TYPES: Record<string, number> = {
  overloaded_error: 529,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  api_error: 500,
  server_error: 500,
  timeout_error: 504,
  authentication_error: 401,
  invalid_api_key: 401,
  permission_error: 403,
  billing_error: 402,
  not_found_error: 404,
  model_not_found: 404,
  invalid_request_error: 400,
  context_length_exceeded: 400,
  request_too_large: 413,
};

const CONTEXT_LENGTH = /context[_ ]length|context window|maximum context|prompt is too long|too many tokens/i;

/**
 * Classifies an error thrown (or streamed) by an AI SDK call. The full table is spelled out in retry.test.ts; in
 * short: 408, 409, 429 (not quota), 5xx and 529, network resets, malformed or truncated streams and
 * timeouts are retryable; other 4xx, missing keys, unknown models and caller aborts are not.
 */
export function classifyError(error: unknown, options: ClassifyOptions = {}): ErrorClassification {
  return classify(error, options, 0);
}

function classify(error: unknown, options: ClassifyOptions, depth: number): ErrorClassification {
  // Wrappers nest (RetryError → APICallError → TypeError → SocketError); a cycle or absurd depth ends here.
  if (depth > 8) return { retryable: false, reason: `unexpected error: ${messageOf(error)}` };
  const next = (inner: unknown) => classify(inner, options, depth + 1);

  if (ModelCallError.isInstance(error)) {
    return withStatus({ retryable: error.retryable, reason: error.reason }, error.status);
  }
  if (isAbortError(error)) return { retryable: false, reason: "aborted" };
  if (isTimeoutError(error)) return { retryable: true, reason: "timed out" };
  if (RetryError.isInstance(error)) {
    // Only when the SDK's own retries were left on: judge by the last failure.
    return error.reason === "abort" ? { retryable: false, reason: "aborted" } : next(error.lastError);
  }
  if (APICallError.isInstance(error)) return classifyApiCallError(error, options);
  if (NoOutputGeneratedError.isInstance(error)) {
    // streamText rejects its promises with this when the stream failed or ended without a finish chunk.
    if (error.cause !== undefined) return next(error.cause);
    return { retryable: true, reason: "truncated response: the stream ended without finishing" };
  }
  if (NoContentGeneratedError.isInstance(error)) return { retryable: true, reason: "no content generated" };
  if (EmptyResponseBodyError.isInstance(error)) return { retryable: true, reason: "empty response body" };
  if (JSONParseError.isInstance(error)) return { retryable: true, reason: "malformed response: invalid JSON" };
  if (TypeValidationError.isInstance(error)) {
    return { retryable: true, reason: "malformed response: unexpected data shape" };
  }
  if (InvalidResponseDataError.isInstance(error)) {
    return { retryable: true, reason: `malformed response: ${detail(error.message)}` };
  }
  if (NoObjectGeneratedError.isInstance(error)) {
    return { retryable: true, reason: "the model's output did not match the expected format" };
  }
  if (LoadAPIKeyError.isInstance(error)) {
    return { retryable: false, reason: `missing API key: ${detail(error.message)}` };
  }
  if (LoadSettingError.isInstance(error)) {
    return { retryable: false, reason: `provider misconfigured: ${detail(error.message)}` };
  }
  if (NoSuchModelError.isInstance(error)) return { retryable: false, reason: `unknown model: ${error.modelId}` };
  if (AISDKError.isInstance(error)) {
    // InvalidPrompt, InvalidArgument, UnsupportedFunctionality, tool errors…: the request itself is wrong.
    return { retryable: false, reason: `invalid request: ${detail(error.message)}` };
  }

  const network = networkReason(error);
  if (network) return { retryable: true, reason: network };

  // Convention for the adapter's own errors (e.g. an empty answer): an Error carrying a boolean `retryable`.
  const own = (error as { retryable?: unknown } | null)?.retryable;
  if (error instanceof Error && typeof own === "boolean") return { retryable: own, reason: detail(messageOf(error)) };

  const provider = providerErrorStatus(error);
  if (provider !== undefined) return fromStatus(provider.status, provider.message, options, provider.quota);

  return { retryable: false, reason: `unexpected error: ${detail(messageOf(error))}` };
}

function classifyApiCallError(error: APICallError, options: ClassifyOptions): ErrorClassification {
  const status = error.statusCode;
  if (status === undefined || status < 400) {
    // No error status: the request never got a response ("Cannot connect to API"), or a 2xx response failed while
    // being read ("Failed to process successful response": a cut connection or a garbled stream).
    const chain = causeChain(error.cause);
    if (chain.some(isAbortError)) return { retryable: false, reason: "aborted" };
    const network = networkReason(error);
    if (network) return withStatus({ retryable: true, reason: network }, status);
    if (chain.some((link) => JSONParseError.isInstance(link) || TypeValidationError.isInstance(link))) {
      return withStatus({ retryable: true, reason: "malformed response: invalid data in the stream" }, status);
    }
    if (status !== undefined) {
      return { retryable: true, reason: `malformed response: ${detail(error.message)}`, status };
    }
    return error.isRetryable
      ? { retryable: true, reason: `connection failed: ${detail(error.message)}` }
      : { retryable: false, reason: `request failed: ${detail(error.message)}` };
  }
  const apiKeyVariable = options.apiKeyVariable ?? inferApiKeyVariable(error.url);
  const result = fromStatus(status, error.message, { ...options, apiKeyVariable }, isQuotaError(error));
  if (!result.retryable) return result;
  const retryAfterMs = parseRetryAfter(error.responseHeaders, options.now);
  return retryAfterMs === undefined ? result : { ...result, retryAfterMs };
}

/** The classification an HTTP status stands for; `message` is the provider's, quoted for request errors. */
function fromStatus(status: number, message: string, options: ClassifyOptions, quota = false): ErrorClassification {
  const said = message ? ` — ${detail(message)}` : "";
  const fail = (reason: string): ErrorClassification => ({ retryable: false, reason, status });
  const retry = (reason: string): ErrorClassification => ({ retryable: true, reason, status });
  switch (status) {
    case 400:
      return CONTEXT_LENGTH.test(message)
        ? fail("prompt too long for the model's context window (400)")
        : fail(`bad request (400)${said}`);
    case 401:
      return fail(`authentication failed (401): check ${options.apiKeyVariable ?? "the provider's API key"}`);
    case 402:
      return fail("payment required (402): check the provider account's credit");
    case 403:
      return fail("permission denied (403): the API key may lack access to this model");
    case 404:
      return fail(`not found (404): check the model name and base URL${said}`);
    case 408:
      return retry("request timeout (408)");
    case 409:
      return retry("conflict (409)");
    case 413:
      return fail("request too large (413)");
    case 422:
      return fail(`unprocessable request (422)${said}`);
    case 429:
      // OpenAI answers 429 both for "slow down" and for "out of credit"; only the first passes by waiting.
      return quota ? fail("quota exhausted (429): check the provider account's billing") : retry("rate limited (429)");
    case 500:
      return retry("server error (500)");
    case 502:
      return retry("bad gateway (502)");
    case 503:
      return retry("service unavailable (503)");
    case 504:
      return retry("gateway timeout (504)");
    case 529:
      return retry("overloaded (529)");
  }
  if (status >= 500) return retry(`server error (${status})`);
  return fail(`request rejected (${status})${said}`);
}

function isQuotaError(error: APICallError): boolean {
  if (error.responseBody?.includes("insufficient_quota")) return true;
  const inner = (error.data as { error?: { code?: unknown; type?: unknown } } | undefined)?.error;
  return inner?.code === "insufficient_quota" || inner?.type === "insufficient_quota";
}

function inferApiKeyVariable(url: string): string | undefined {
  if (url.includes("api.openai.com")) return "OPENAI_API_KEY";
  if (url.includes("api.anthropic.com")) return "ANTHROPIC_API_KEY";
  return undefined;
}

/** The network failure somewhere in `error`'s cause chain, described; codes win over messages. */
function networkReason(error: unknown): string | undefined {
  const chain = causeChain(error);
  // undici's "terminated" (a response cut mid-stream) says more than the socket code beneath it.
  if (chain.some((link) => link instanceof Error && /^terminated$/i.test(link.message))) {
    return "connection lost mid-response (terminated)";
  }
  for (const link of chain) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === "string" && Object.hasOwn(NETWORK_CODES, code)) return `${NETWORK_CODES[code]} (${code})`;
  }
  for (const link of chain) {
    if (!(link instanceof Error)) continue;
    for (const [pattern, reason] of NETWORK_MESSAGES) if (pattern.test(link.message)) return reason;
  }
  return undefined;
}

function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !chain.includes(current) && chain.length < 10) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * A provider error that is not an Error: the objects providers put in stream `error` parts. Recognised by an
 * explicit `statusCode` (OpenAI's stream errors carry one) or a known `type` / `code`.
 */
function providerErrorStatus(error: unknown): { status: number; message: string; quota: boolean } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const nested = record.error;
  const body = typeof nested === "object" && nested !== null ? (nested as Record<string, unknown>) : record;
  const message = typeof body.message === "string" ? body.message : "";
  const quota = body.code === "insufficient_quota" || body.type === "insufficient_quota";
  for (const candidate of [record.statusCode, record.status, body.status]) {
    if (typeof candidate === "number" && Number.isInteger(candidate) && candidate >= 400 && candidate <= 599) {
      return { status: candidate, message, quota };
    }
  }
  for (const key of [body.code, body.type]) {
    if (typeof key === "string" && Object.hasOwn(PROVIDER_ERROR_TYPES, key)) {
      const status = PROVIDER_ERROR_TYPES[key];
      if (status !== undefined) return { status, message, quota };
    }
  }
  return undefined;
}

function withStatus(result: ErrorClassification, status: number | undefined): ErrorClassification {
  return status === undefined ? result : { ...result, status };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  return String(error);
}

function detail(message: string): string {
  const oneLine = message.replace(/\s+/g, " ").trim();
  return oneLine.length > DETAIL_MAX ? `${oneLine.slice(0, DETAIL_MAX - 1)}…` : oneLine;
}

/**
 * How long response headers ask the client to wait, in ms: `retry-after-ms` (OpenAI) first, then `retry-after` as
 * seconds or an HTTP-date (relative to `now`). Header names are matched case-insensitively; a date in the past
 * means 0; unparseable values are ignored; the result is capped at {@link RETRY_AFTER_CEILING_MS}.
 */
export function parseRetryAfter(
  headers: Record<string, string> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const header = (name: string) => {
    for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value.trim();
    return undefined;
  };
  let ms: number | undefined;
  const millis = header("retry-after-ms");
  if (millis && /^\d+(\.\d+)?$/.test(millis)) ms = Number(millis);
  const after = header("retry-after");
  if (ms === undefined && after) {
    if (/^\d+(\.\d+)?$/.test(after)) ms = Number(after) * 1000;
    else if (/^[A-Za-z]{3}/.test(after)) {
      // HTTP-dates (all three RFC 9110 forms) start with a weekday; V8's lenient Date.parse would take "-3" too.
      const date = Date.parse(after);
      if (!Number.isNaN(date)) ms = Math.max(0, date - now);
    }
  }
  return ms === undefined ? undefined : Math.min(Math.ceil(ms), RETRY_AFTER_CEILING_MS);
}

// ---------------------------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------------------------

/** How hard to try. Unknown keys are rejected so a typo in configuration is not silently ignored. */
export const retryPolicySchema = z
  .strictObject({
    /** Attempts in all, the first included. */
    maxAttempts: z.number().int().min(1).max(20).default(4),
    /** Delay before the second attempt; doubles for each further one. */
    baseDelayMs: z.number().int().min(0).max(60_000).default(500),
    /** Ceiling for the backoff delay (a server's retry-after may ask for longer, and is honoured). */
    maxDelayMs: z.number().int().min(0).max(600_000).default(20_000),
    /** Each delay is spread by ±this fraction, so callers failing together do not retry together. */
    jitter: z.number().min(0).max(1).default(0.2),
    /** Limit for one attempt, streaming included; a timed-out attempt counts as a retryable failure. */
    timeoutMs: z.number().int().min(1).max(3_600_000).default(120_000),
    /** Longest retry-after we wait for; a server asking for longer makes us give up at once. */
    maxRetryAfterMs: z.number().int().min(0).max(RETRY_AFTER_CEILING_MS).default(60_000),
  })
  .refine((policy) => policy.baseDelayMs <= policy.maxDelayMs, {
    message: "baseDelayMs must not exceed maxDelayMs",
    path: ["baseDelayMs"],
  });

/** A complete retry policy (see {@link retryPolicySchema} for the meaning and defaults of each field). */
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/** `{ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000, jitter: 0.2, timeoutMs: 120_000, maxRetryAfterMs: 60_000 }` */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze(retryPolicySchema.parse({}));

/**
 * The backoff before the attempt after `failedAttempt` (1-based): `baseDelayMs · 2^(failedAttempt−1)`, capped at
 * `maxDelayMs`, spread by ±`jitter`, and never above `maxDelayMs`. `random` returns values in [0, 1).
 */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, exponential * spread)));
}

// ---------------------------------------------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------------------------------------------

/** What an attempt is given. */
export interface AttemptContext {
  /** 1-based. */
  attempt: number;
  /** Aborts when the caller's signal does or when this attempt's timeout passes; pass it to the SDK call. */
  signal: AbortSignal;
}

/** Told to `onRetry` before each wait. */
export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** How long we wait before the next one. */
  delayMs: number;
  reason: string;
  status?: number;
  error: unknown;
}

/** Options of {@link withRetries}. */
export interface WithRetriesOptions {
  policy: RetryPolicy;
  /** The caller's signal: aborting stops at once (during an attempt or a wait) and rejects with an AbortError. */
  signal?: AbortSignal;
  /** Names the call in the error message, e.g. "openai:gpt-4o". */
  label?: string;
  onRetry?: (info: RetryInfo) => void;
  /** Defaults to {@link classifyError}; pass one bound to options (e.g. `apiKeyVariable`) for better reasons. */
  classify?: (error: unknown) => ErrorClassification;
  /** Waits between attempts; injectable so tests run instantly. Should reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter, values in [0, 1). */
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, backing off exponentially with jitter between retryable failures and never
 * retrying sooner than a server's retry-after. Each attempt gets its own signal, aborted after `timeoutMs` or when
 * the caller's signal aborts; an attempt that ignores its signal is abandoned all the same.
 *
 * Resolves with the value and the number of attempts made. Rejects with an AbortError when the caller aborts, and
 * otherwise with a {@link ModelCallError} when giving up: a non-retryable failure, `maxAttempts` reached, or a
 * retry-after longer than `maxRetryAfterMs`.
 */
export async function withRetries<T>(
  attempt: (ctx: AttemptContext) => Promise<T>,
  options: WithRetriesOptions,
): Promise<{ value: T; attempts: number }> {
  const { policy, signal } = options;
  const label = options.label ?? "model call";
  const classifyFailure = options.classify ?? classifyError;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;

  for (let n = 1; ; n++) {
    if (signal?.aborted) throw abortErrorFor(signal);
    const outcome = await runAttempt(attempt, n, policy.timeoutMs, signal);
    if (outcome.ok) return { value: outcome.value, attempts: n };
    // Whatever the attempt threw once the caller aborted (often the SDK's own AbortError), cancelling wins.
    if (signal?.aborted) throw abortErrorFor(signal);

    const { error } = outcome;
    const failure: ErrorClassification = outcome.timedOut
      ? { retryable: true, reason: `timed out after ${formatMs(policy.timeoutMs)}` }
      : classifyFailure(error);
    const giveUp = (reason: string, retryable: boolean) =>
      new ModelCallError({ label, reason, attempts: n, retryable, status: failure.status, cause: error });

    if (!failure.retryable) throw giveUp(failure.reason, false);
    if (n >= policy.maxAttempts) throw giveUp(failure.reason, true);
    const retryAfterMs = failure.retryAfterMs ?? 0;
    if (retryAfterMs > policy.maxRetryAfterMs) {
      const asked = `the server asked to wait ${formatMs(retryAfterMs)}, more than the ${formatMs(policy.maxRetryAfterMs)} limit`;
      throw giveUp(`${failure.reason}; ${asked}`, true);
    }

    const delayMs = Math.max(backoffDelay(policy, n, random), retryAfterMs);
    options.onRetry?.({ attempt: n, delayMs, reason: failure.reason, status: failure.status, error });
    // Raced against the signal too, so an injected sleep that ignores it still cannot delay cancelling.
    await raceAbort(sleep(delayMs, signal), signal, () => abortErrorFor(signal));
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; timedOut: boolean };

async function runAttempt<T>(
  attempt: (ctx: AttemptContext) => Promise<T>,
  n: number,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<Outcome<T>> {
  // A controller of our own rather than AbortSignal.any (Node ≥ 20.3): the listener on the caller's long-lived
  // signal is removed explicitly after every attempt, so nothing accumulates on it over a long match.
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`attempt timed out after ${formatMs(timeoutMs)}`, "TimeoutError"));
  }, timeoutMs);
  try {
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(attempt({ attempt: n, signal: controller.signal }));
    } catch (error) {
      pending = Promise.reject(error);
    }
    const value = await raceAbort(pending, controller.signal, () => controller.signal.reason);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error, timedOut };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/** Settles like `promise`, or rejects with `reason()` as soon as `signal` aborts, whichever comes first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, reason: () => unknown): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    // Handlers are attached even when the abort already won, so a late rejection is never "unhandled".
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** setTimeout as a promise that rejects with an AbortError (and clears the timer) when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortErrorFor(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorFor(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(1))}s`;
}
