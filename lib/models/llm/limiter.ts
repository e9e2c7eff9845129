import { abortErrorFor } from "./errors";

/**
 * Per-key concurrency limits, so one busy provider (key "openai", "anthropic", "openai-compatible:local"…) never
 * has more calls in flight than its configured concurrency, while other providers go on unhindered. Tasks wait in
 * FIFO order per key. A tiny hand-rolled semaphore: p-limit has no per-key queues or abortable waiting.
 */

/** A task run under the limit; gets the signal given to `run`, to pass on to its own work. */
export type LimitedTask<T> = (signal?: AbortSignal) => Promise<T>;

export interface Limiter {
  /**
   * Runs `task` once fewer than `limitFor(key)` tasks of that key are running, in arrival order. If `signal`
   * aborts while the task waits, it leaves the queue without running and the promise rejects with an AbortError;
   * once running, cancelling is the task's business (it receives the signal). A failing task frees its slot.
   */
  run<T>(key: string, task: LimitedTask<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks of `key` running now. */
  active(key: string): number;
  /** Tasks of `key` waiting for a slot. */
  waiting(key: string): number;
}

interface Waiter {
  start: () => void;
}

interface Lane {
  active: number;
  queue: Waiter[];
}

/**
 * Creates a limiter. `limitFor(key)` is read whenever a slot may be granted, so a changed configuration applies
 * to the next task; it must return an integer ≥ 1 (or Infinity for no limit).
 */
export function createLimiter(limitFor: (key: string) => number): Limiter {
  const lanes = new Map<string, Lane>();

  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { active: 0, queue: [] };
      lanes.set(key, lane);
    }
    return lane;
  };

  // Idle lanes are dropped so a long-running server with many model names does not keep one per key forever.
  const forgetIfIdle = (key: string, lane: Lane) => {
    if (lane.active === 0 && lane.queue.length === 0 && lanes.get(key) === lane) lanes.delete(key);
  };

  const limitOf = (key: string): number => {
    const limit = limitFor(key);
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))) {
      throw new RangeError(`Concurrency limit for "${key}" must be an integer ≥ 1, got ${limit}`);
    }
    return limit;
  };

  const release = (key: string, lane: Lane) => {
    lane.active--;
    // Start as many waiters as the (possibly changed) limit allows, oldest first. A limit that turned invalid
    // since they queued must not strand them: fall back to one at a time.
    let limit = 1;
    try {
      limit = limitOf(key);
    } catch {}
    while (lane.queue.length > 0 && lane.active < limit) lane.queue.shift()?.start();
    forgetIfIdle(key, lane);
  };

  const run = <T>(key: string, task: LimitedTask<T>, signal?: AbortSignal): Promise<T> => {
    if (signal?.aborted) return Promise.reject(abortErrorFor(signal));
    let limit: number;
    try {
      limit = limitOf(key);
    } catch (error) {
      return Promise.reject(error);
    }
    const lane = laneOf(key);

    const execute = (): Promise<T> => {
      lane.active++;
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(task(signal));
      } catch (error) {
        pending = Promise.reject(error);
      }
      // The slot is freed however the task ends; the caller still sees its value or error unchanged.
      return pending.finally(() => release(key, lane));
    };

    // Nobody ahead (FIFO: a free slot is not taken past waiters) and room to run.
    if (lane.queue.length === 0 && lane.active < limit) return execute();

    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          execute().then(resolve, reject);
        },
      };
      const onAbort = () => {
        const index = lane.queue.indexOf(waiter);
        if (index === -1) return;
        lane.queue.splice(index, 1);
        forgetIfIdle(key, lane);
        reject(abortErrorFor(signal));
      };
      lane.queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };

  return {
    run,
    active: (key) => lanes.get(key)?.active ?? 0,
    waiting: (key) => lanes.get(key)?.queue.length ?? 0,
  };
}
