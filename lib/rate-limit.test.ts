import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "./rate-limit";

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("SlidingWindowLimiter", () => {
  it("allows `limit` hits per window, then refuses with the time until a slot frees up", () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 1000, now: clock.now });
    expect(limiter.consume("a")).toEqual({ ok: true, remaining: 2, retryAfterMs: 0 });
    clock.advance(100);
    expect(limiter.consume("a").remaining).toBe(1);
    clock.advance(100);
    expect(limiter.consume("a").remaining).toBe(0);
    clock.advance(100);
    expect(limiter.consume("a")).toEqual({ ok: false, remaining: 0, retryAfterMs: 700 });
    // Other keys are independent.
    expect(limiter.consume("b").ok).toBe(true);
  });

  it("slides: a slot frees exactly when the oldest hit leaves the window, and refused hits are not counted", () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, now: clock.now });
    limiter.consume("k"); // t=0
    clock.advance(600);
    limiter.consume("k"); // t=600
    clock.advance(300);
    for (let i = 0; i < 5; i++) expect(limiter.consume("k").ok).toBe(false); // t=900
    clock.advance(99);
    expect(limiter.consume("k").ok).toBe(false); // t=999: the first hit is still inside
    clock.advance(1);
    expect(limiter.consume("k").ok).toBe(true); // t=1000: the first hit has left
    expect(limiter.consume("k")).toMatchObject({ ok: false, retryAfterMs: 600 }); // the t=600 hit leaves at 1600
  });

  it("does not let a burst at a fixed-window boundary through twice", () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 1000, now: clock.now });
    clock.advance(990);
    for (let i = 0; i < 10; i++) expect(limiter.consume("k").ok).toBe(true);
    clock.advance(20); // a fixed window would have reset here
    expect(limiter.consume("k").ok).toBe(false);
  });

  it("reset forgets a key; remaining peeks without counting", () => {
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 60_000 });
    limiter.consume("k");
    expect(limiter.remaining("k")).toBe(1);
    expect(limiter.remaining("k")).toBe(1);
    limiter.consume("k");
    expect(limiter.consume("k").ok).toBe(false);
    limiter.reset("k");
    expect(limiter.consume("k").ok).toBe(true);
  });

  it("keeps memory bounded: expired keys are dropped, and with too many live keys half go", () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000, now: clock.now, maxKeys: 4 });
    for (const key of ["a", "b", "c", "d"]) limiter.consume(key);
    clock.advance(1000);
    limiter.consume("e"); // the four old keys have expired and are pruned
    expect(limiter.size).toBe(1);
    for (const key of ["f", "g", "h"]) limiter.consume(key);
    limiter.consume("i"); // all live: half of them go
    expect(limiter.size).toBeLessThanOrEqual(4);
    expect(limiter.consume("i").ok).toBe(false);
  });

  it("a flood of new keys cannot evict a key that used up its allowance", () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000, now: clock.now, maxKeys: 100 });
    for (let i = 0; i < 3; i++) limiter.consume("email:victim@example.org");
    expect(limiter.consume("email:victim@example.org").ok).toBe(false);
    for (let i = 0; i < 10_000; i++) {
      clock.advance(1);
      limiter.consume(`email:flood-${i}@example.org`);
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.consume("email:victim@example.org").ok).toBe(false);
  });

  it("rejects nonsense options", () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
  });
});
