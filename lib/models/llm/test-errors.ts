import { APICallError } from "ai";

/**
 * Errors built the way the AI SDK builds them, shared by the classification and retry-loop tests
 * (classify-error.test.ts, retry.test.ts). Test support only.
 */

/** The URL of a failed OpenAI request, so a 401 reason names OPENAI_API_KEY. */
export const OPENAI_URL = "https://api.openai.com/v1/chat/completions";

/** An APICallError as the SDK throws it for a response with `statusCode` (undefined: no response at all). */
export function apiError(
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
export function fetchFailedReset(): TypeError {
  const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", errno: -104, syscall: "read" });
  return new TypeError("fetch failed", { cause: reset });
}

/** What the SDK throws when a 200 stream is cut (as observed with a real socket, see the loopback tests below). */
export function terminatedStream(): APICallError {
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
