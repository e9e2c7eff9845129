import { redactSecrets } from "../redact";

/**
 * Errors of the language-model adapter. A call that gives up throws one `ModelCallError` whatever the provider,
 * so the match runner and the UI deal with a single shape; a call cancelled by its caller rejects with an
 * AbortError instead (like fetch and the offline models), because cancelling is not a failure.
 */

/** What {@link ModelCallError} is built from. */
export interface ModelCallErrorInit {
  /** Which model was called, e.g. "openai:gpt-4o"; starts the message. */
  label: string;
  /** Short human-readable cause, e.g. "rate limited (429)". */
  reason: string;
  /** Attempts made, the failing one included. */
  attempts: number;
  /** Whether the last failure was of a transient kind (a later call may well succeed). */
  retryable: boolean;
  /** HTTP status of the last failure, when there was a response. */
  status?: number;
  /** The last underlying error. */
  cause: unknown;
  /**
   * The provider keys this process holds: removed from the reason (as are key-shaped tokens, always), since the
   * message reaches the stored match error, researchers' pages and logs (lib/models/redact.ts).
   */
  secrets?: readonly (string | undefined)[];
}

/**
 * A model call that failed for good: not retryable, out of attempts, or told to wait too long. Its reason (and so
 * its message) never holds a provider key: see {@link ModelCallErrorInit.secrets}.
 */
export class ModelCallError extends Error {
  readonly label: string;
  readonly reason: string;
  readonly attempts: number;
  readonly retryable: boolean;
  readonly status?: number;

  constructor(init: ModelCallErrorInit) {
    const attempts = `${init.attempts} attempt${init.attempts === 1 ? "" : "s"}`;
    const reason = redactSecrets(init.reason, init.secrets);
    super(`${init.label} failed after ${attempts}: ${reason}`, { cause: init.cause });
    this.name = "ModelCallError";
    this.label = init.label;
    this.reason = reason;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
  }

  /** Duck-typed check, so it also recognises an instance from another copy of this module (tests, bundles). */
  static isInstance(error: unknown): error is ModelCallError {
    return error instanceof ModelCallError || (errorName(error) === "ModelCallError" && hasReason(error));
  }
}

function hasReason(error: unknown): boolean {
  return typeof error === "object" && error !== null && typeof (error as { reason?: unknown }).reason === "string";
}

/** `name` of an Error-like value (DOMException included), or undefined. */
export function errorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

/**
 * True when `error` means the call was cancelled by its caller: an `AbortError` (fetch, AbortController, the AI
 * SDK rethrowing the signal's reason) or Next.js's `ResponseAborted`. A `TimeoutError` is not counted: a timed-out
 * attempt is a transient failure worth retrying (see {@link isTimeoutError}).
 */
export function isAbortError(error: unknown): boolean {
  const name = errorName(error);
  return name === "AbortError" || name === "ResponseAborted";
}

/** True for a `TimeoutError` (AbortSignal.timeout, the AI SDK's `timeout` option, the per-attempt timeout). */
export function isTimeoutError(error: unknown): boolean {
  return errorName(error) === "TimeoutError";
}

/**
 * The error to reject with when `signal` has aborted: its reason when that is already an AbortError, otherwise a
 * fresh one, so callers can always test with {@link isAbortError} whatever reason the aborting code passed.
 */
export function abortErrorFor(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && isAbortError(reason)) return reason;
  return new DOMException("The model call was aborted", "AbortError");
}
