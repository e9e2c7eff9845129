import { describe, expect, it } from "vitest";
import { parseRetryAfter, RETRY_AFTER_CEILING_MS } from "./retry-after";

const NOW = Date.parse("2026-11-23T12:00:00Z");

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
