import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningRedis, startRedis } from "../tests/support/redis";
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from "./rate-limiter";

/** The same sliding-window rule in memory and in Redis; in Redis, two instances share one count. */
describe("rate limiters", () => {
  let redis: RunningRedis;
  let first: Redis;
  let second: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    first = new Redis(redis.url);
    second = new Redis(redis.url);
  }, 20_000);
  afterAll(async () => {
    first?.disconnect();
    second?.disconnect();
    await redis?.stop();
  });

  async function exercise(limiter: RateLimiter, key: string) {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume(key));
    return results;
  }

  it("in memory: `limit` hits per window, refusals not counted, keys independent", async () => {
    const limiter = new MemoryRateLimiter({ name: "t", limit: 3, windowMs: 60_000 });
    const results = await exercise(limiter, "a");
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterMs).toBeGreaterThan(0);
    expect(await limiter.remaining("a")).toBe(0);
    expect(await limiter.remaining("b")).toBe(3);
  });

  it("in Redis: the same rule, one count for two connections (two instances), reset, and expiry", async () => {
    const a = new RedisRateLimiter(first, { name: "t", limit: 3, windowMs: 60_000 });
    const b = new RedisRateLimiter(second, { name: "t", limit: 3, windowMs: 60_000 });
    expect((await a.consume("k")).remaining).toBe(2);
    expect((await b.consume("k")).remaining).toBe(1);
    expect(await a.remaining("k")).toBe(1);
    expect((await a.consume("k")).ok).toBe(true);
    const refused = await b.consume("k");
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another limit's keys are its own.
    const other = new RedisRateLimiter(first, { name: "other", limit: 3, windowMs: 60_000 });
    expect(await other.remaining("k")).toBe(3);
    await b.reset("k");
    expect(await a.remaining("k")).toBe(3);
    // The key lives no longer than its window.
    const short = new RedisRateLimiter(first, { name: "short", limit: 1, windowMs: 5000 });
    await short.consume("x");
    const ttl = await first.pttl("crux:rl:short:x");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it("in Redis: concurrent hits from two instances never exceed the limit", async () => {
    const a = new RedisRateLimiter(first, { name: "race", limit: 10, windowMs: 60_000 });
    const b = new RedisRateLimiter(second, { name: "race", limit: 10, windowMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).consume("k")));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
  });
});
