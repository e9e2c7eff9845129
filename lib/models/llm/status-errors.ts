import type { APICallError } from "ai";
import { redactSecrets } from "../redact";

/**
 * What an HTTP status (or a provider error object standing for one) means for a model call: retryable or not, and
 * the reason a person is told. Used by `classify-error.ts`.
 */

/** Longest provider message quoted in a reason. */
const DETAIL_MAX = 200;

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

/** What a failed call with a status means. Structurally an `ErrorClassification` (classify-error.ts). */
export interface StatusClassification {
  retryable: boolean;
  reason: string;
  status: number;
}

/**
 * The classification an HTTP status stands for; `message` is the provider's, quoted for request errors;
 * `apiKeyVariable` is named in the 401 reason; `quota` tells an exhausted quota from a rate limit on a 429.
 */
export function classifyStatus(
  status: number,
  message: string,
  apiKeyVariable: string | undefined,
  quota = false,
): StatusClassification {
  const said = message ? ` — ${detail(message)}` : "";
  const fail = (reason: string): StatusClassification => ({ retryable: false, reason, status });
  const retry = (reason: string): StatusClassification => ({ retryable: true, reason, status });
  switch (status) {
    case 400:
      return CONTEXT_LENGTH.test(message)
        ? fail("prompt too long for the model's context window (400)")
        : fail(`bad request (400)${said}`);
    case 401:
      return fail(`authentication failed (401): check ${apiKeyVariable ?? "the provider's API key"}`);
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

/** Whether a 429 means "out of credit" rather than "slow down". */
export function isQuotaError(error: APICallError): boolean {
  if (error.responseBody?.includes("insufficient_quota")) return true;
  const inner = (error.data as { error?: { code?: unknown; type?: unknown } } | undefined)?.error;
  return inner?.code === "insufficient_quota" || inner?.type === "insufficient_quota";
}

/** The key variable of the two providers whose host is known from the URL. */
export function inferApiKeyVariable(url: string): string | undefined {
  if (url.includes("api.openai.com")) return "OPENAI_API_KEY";
  if (url.includes("api.anthropic.com")) return "ANTHROPIC_API_KEY";
  return undefined;
}
/**
 * A provider error that is not an Error: the objects providers put in stream `error` parts. Recognised by an
 * explicit `statusCode` (OpenAI's stream errors carry one) or a known `type` / `code`.
 */
export function providerErrorStatus(error: unknown): { status: number; message: string; quota: boolean } | undefined {
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

/**
 * A provider message on one line, shortened to {@link DETAIL_MAX} characters, with `secrets` and key-shaped tokens
 * redacted first (before shortening, which could otherwise cut a key so that it is no longer recognised).
 */
export function detail(message: string, secrets: readonly (string | undefined)[] = []): string {
  const oneLine = redactSecrets(message, secrets).replace(/\s+/g, " ").trim();
  return oneLine.length > DETAIL_MAX ? `${oneLine.slice(0, DETAIL_MAX - 1)}…` : oneLine;
}
