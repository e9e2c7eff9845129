import { describe, expect, it, vi } from "vitest";
import { isAbortError, ModelCallError } from "./errors";
import { type RetryInfo, withRetries } from "./retry";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
import { apiError, fetchFailedReset } from "./test-errors";

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
