import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY_POLICY, retryPolicySchema } from "./retry-policy";

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
