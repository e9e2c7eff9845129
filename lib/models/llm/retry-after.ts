/**
 * How long a server asked the client to wait before retrying, read from the response headers. Part of error
 * classification (`classify-error.ts`), bounded here and limited for real by the retry policy.
 */

/**
 * Largest wait a `retry-after` header is parsed to. Only guards against absurd values (a date years ahead);
 * `withRetries` applies the real limit, `maxRetryAfterMs`, and gives up above it.
 */
export const RETRY_AFTER_CEILING_MS = 3_600_000;

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
