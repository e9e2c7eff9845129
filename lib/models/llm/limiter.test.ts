import { afterEach, describe, expect, it, vi } from "vitest";
import { mulberry32 } from "../../random";
import { isAbortError } from "./errors";
import { createLimiter } from "./limiter";

/** A promise settled from outside, so tests decide exactly when each task ends. */
function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("createLimiter", () => {
  it("never runs more than the limit per key, and keeps every slot busy (randomised)", async () => {
    vi.useFakeTimers();
    const limits: Record<string, number> = { openai: 2, anthropic: 3, "openai-compatible:local": 1 };
    const keys = Object.keys(limits);
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = mulberry32(seed);
      const limiter = createLimiter((key) => limits[key] ?? 1);
      const running: Record<string, number> = {};
      const peak: Record<string, number> = {};
      const finished: number[] = [];
      const violations: string[] = [];
      const tasks = Array.from({ length: 60 }, (_, i) => {
        const key = keys[Math.floor(rng() * keys.length)] ?? "openai";
        const duration = 1 + Math.floor(rng() * 50);
        const fails = rng() < 0.2;
        return limiter
          .run(key, async () => {
            running[key] = (running[key] ?? 0) + 1;
            peak[key] = Math.max(peak[key] ?? 0, running[key] ?? 0);
            // Recorded rather than asserted here: a throw inside the task would pass for one of its planned failures.
            if ((running[key] ?? 0) > (limits[key] ?? 1)) violations.push(`${key} ran ${running[key]}`);
            if (limiter.active(key) !== running[key]) violations.push(`${key} active() disagrees`);
            await new Promise((resolve) => setTimeout(resolve, duration));
            running[key] = (running[key] ?? 0) - 1;
            if (fails) throw new Error(`task ${i} failed`);
            return i;
          })
          .then(
            (value) => finished.push(value),
            () => finished.push(i),
          );
      });
      // Free slots are taken synchronously, so while tasks remain queued every key runs at its limit.
      for (const key of keys) {
        if (limiter.waiting(key) > 0) expect(limiter.active(key)).toBe(limits[key]);
      }
      await vi.runAllTimersAsync();
      await Promise.all(tasks);
      expect(violations).toEqual([]);
      expect(finished.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
      for (const key of keys) {
        expect(peak[key]).toBe(limits[key]);
        expect(limiter.active(key)).toBe(0);
        expect(limiter.waiting(key)).toBe(0);
      }
    }
  });

  it("starts waiting tasks in arrival order", async () => {
    const limiter = createLimiter(() => 1);
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred());
    const runs = gates.map((gate, i) =>
      limiter.run("openai", async () => {
        order.push(i);
        await gate.promise;
      }),
    );
    expect(limiter.active("openai")).toBe(1);
    expect(limiter.waiting("openai")).toBe(4);
    // Release them out of order of creation where possible; starts must still follow arrival.
    for (const gate of gates) {
      gate.resolve();
      await flush();
    }
    await Promise.all(runs);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps keys independent", async () => {
    const limiter = createLimiter(() => 1);
    const blocker = deferred();
    const blocked = limiter.run("anthropic", () => blocker.promise);
    const queued = vi.fn(async () => "late");
    const queuedRun = limiter.run("anthropic", queued);
    const other = await limiter.run("openai", async () => "free");
    expect(other).toBe("free");
    expect(queued).not.toHaveBeenCalled();
    expect(limiter.waiting("anthropic")).toBe(1);
    blocker.resolve();
    await blocked;
    await expect(queuedRun).resolves.toBe("late");
  });

  it("removes a waiting task whose signal aborts, without running it", async () => {
    const limiter = createLimiter(() => 1);
    const blocker = deferred();
    const first = limiter.run("openai", () => blocker.promise);
    const controller = new AbortController();
    const cancelled = vi.fn(async () => "should not run");
    const cancelledRun = limiter.run("openai", cancelled, controller.signal);
    const third = vi.fn(async () => "third");
    const thirdRun = limiter.run("openai", third);
    expect(limiter.waiting("openai")).toBe(2);

    controller.abort();
    const error = await cancelledRun.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(limiter.waiting("openai")).toBe(1);

    blocker.resolve();
    await first;
    await expect(thirdRun).resolves.toBe("third");
    expect(cancelled).not.toHaveBeenCalled();
    expect(limiter.active("openai")).toBe(0);
  });

  it("rejects at once when the signal has already aborted", async () => {
    const limiter = createLimiter(() => 2);
    const controller = new AbortController();
    controller.abort(new Error("match over"));
    const task = vi.fn(async () => 1);
    const error = await limiter.run("openai", task, controller.signal).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(task).not.toHaveBeenCalled();
    expect(limiter.waiting("openai")).toBe(0);
  });

  it("passes the signal to the task and does not abort a running one itself", async () => {
    const limiter = createLimiter(() => 1);
    const controller = new AbortController();
    const gate = deferred<string>();
    let received: AbortSignal | undefined;
    const run = limiter.run(
      "openai",
      (signal) => {
        received = signal;
        return gate.promise;
      },
      controller.signal,
    );
    expect(received).toBe(controller.signal);
    controller.abort();
    gate.resolve("finished anyway");
    await expect(run).resolves.toBe("finished anyway");
  });

  it("frees the slot when a task fails, asynchronously or synchronously", async () => {
    const limiter = createLimiter(() => 1);
    const failing = limiter.run("openai", async () => {
      throw new Error("async boom");
    });
    const throwing = limiter.run("openai", () => {
      throw new Error("sync boom");
    });
    const next = limiter.run("openai", async () => "next");
    await expect(failing).rejects.toThrow("async boom");
    await expect(throwing).rejects.toThrow("sync boom");
    await expect(next).resolves.toBe("next");
    expect(limiter.active("openai")).toBe(0);
  });

  it("rejects an invalid limit, and allows Infinity", async () => {
    const bad = createLimiter(() => 0);
    await expect(bad.run("x", async () => 1)).rejects.toThrow(RangeError);
    const unlimited = createLimiter(() => Number.POSITIVE_INFINITY);
    const gates = Array.from({ length: 50 }, () => deferred());
    const runs = gates.map((gate) => unlimited.run("x", () => gate.promise));
    expect(unlimited.active("x")).toBe(50);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
  });

  it("applies a raised limit to tasks already waiting", async () => {
    let limit = 1;
    const limiter = createLimiter(() => limit);
    const gates = Array.from({ length: 3 }, () => deferred());
    const runs = gates.map((gate) => limiter.run("openai", () => gate.promise));
    expect(limiter.active("openai")).toBe(1);
    limit = 3;
    gates[0]?.resolve();
    await flush();
    expect(limiter.active("openai")).toBe(2);
    expect(limiter.waiting("openai")).toBe(0);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
  });
});
