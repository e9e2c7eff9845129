import { classifyError, type ErrorClassification } from "./classify-error";
import { abortErrorFor, ModelCallError } from "./errors";
import { backoffDelay, type RetryPolicy } from "./retry-policy";

/**
 * The retry loop for language-model calls (`withRetries`): which failures are worth another attempt is decided by
 * `classify-error.ts`, how hard to try by `retry-policy.ts`. The AI SDK's own retries should be off
 * (`maxRetries: 0`) when this is used, so one policy, with per-attempt timeouts and caller cancellation, governs
 * every provider.
 */

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
  /** Provider keys kept out of the final error's reason (see `ModelCallErrorInit.secrets`). */
  secrets?: readonly (string | undefined)[];
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
      new ModelCallError({
        label,
        reason,
        attempts: n,
        retryable,
        status: failure.status,
        cause: error,
        secrets: options.secrets,
      });

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
