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
import { redactSecrets } from "../redact";
import { isAbortError, isTimeoutError, ModelCallError } from "./errors";
import { causeChain, networkReason } from "./network-errors";
import { parseRetryAfter } from "./retry-after";
import { classifyStatus, detail, inferApiKeyVariable, isQuotaError, providerErrorStatus } from "./status-errors";

/**
 * Which failures of a language-model call are worth another attempt, and why (`classifyError`). The loop that makes
 * the attempts is in `retry.ts`; HTTP statuses, network failures and retry-after headers each have their own module.
 */

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
  /** Provider keys to keep out of every reason (besides key-shaped tokens, always removed): lib/models/redact.ts. */
  secrets?: readonly (string | undefined)[];
}

/**
 * Classifies an error thrown (or streamed) by an AI SDK call. The full table is spelled out in classify-error.test.ts; in
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
    return { retryable: true, reason: `malformed response: ${detail(error.message, options.secrets)}` };
  }
  if (NoObjectGeneratedError.isInstance(error)) {
    return { retryable: true, reason: "the model's output did not match the expected format" };
  }
  if (LoadAPIKeyError.isInstance(error)) {
    return { retryable: false, reason: `missing API key: ${detail(error.message, options.secrets)}` };
  }
  if (LoadSettingError.isInstance(error)) {
    return { retryable: false, reason: `provider misconfigured: ${detail(error.message, options.secrets)}` };
  }
  if (NoSuchModelError.isInstance(error)) return { retryable: false, reason: `unknown model: ${error.modelId}` };
  if (AISDKError.isInstance(error)) {
    // InvalidPrompt, InvalidArgument, UnsupportedFunctionality, tool errors…: the request itself is wrong.
    return { retryable: false, reason: `invalid request: ${detail(error.message, options.secrets)}` };
  }

  const network = networkReason(error);
  if (network) return { retryable: true, reason: network };

  // Convention for the adapter's own errors (e.g. an empty answer): an Error carrying a boolean `retryable`.
  const own = (error as { retryable?: unknown } | null)?.retryable;
  if (error instanceof Error && typeof own === "boolean")
    return { retryable: own, reason: detail(messageOf(error), options.secrets) };

  const provider = providerErrorStatus(error);
  if (provider !== undefined)
    return classifyStatus(
      provider.status,
      redactSecrets(provider.message, options.secrets),
      options.apiKeyVariable,
      provider.quota,
    );

  return { retryable: false, reason: `unexpected error: ${detail(messageOf(error), options.secrets)}` };
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
      return { retryable: true, reason: `malformed response: ${detail(error.message, options.secrets)}`, status };
    }
    return error.isRetryable
      ? { retryable: true, reason: `connection failed: ${detail(error.message, options.secrets)}` }
      : { retryable: false, reason: `request failed: ${detail(error.message, options.secrets)}` };
  }
  const apiKeyVariable = options.apiKeyVariable ?? inferApiKeyVariable(error.url);
  const message = redactSecrets(error.message, options.secrets);
  const result: ErrorClassification = classifyStatus(status, message, apiKeyVariable, isQuotaError(error));
  if (!result.retryable) return result;
  const retryAfterMs = parseRetryAfter(error.responseHeaders, options.now);
  return retryAfterMs === undefined ? result : { ...result, retryAfterMs };
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
