import { z } from "zod";
import { RETRY_AFTER_CEILING_MS } from "./retry-after";

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
