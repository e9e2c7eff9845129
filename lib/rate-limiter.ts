import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { type RateLimitResult, SlidingWindowLimiter } from "./rate-limit";
import { getRedis } from "./redis";

/**
 * A rate limit shared by every app instance when Redis is configured, else kept in this process: the same
 * sliding-window rule either way (at most `limit` hits per key in any `windowMs`; a refused hit is not counted).
 * Callers name the limit (`name` prefixes its keys), so limits never share counts by accident.
 */
export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts a hit for `key` if the window allows it. */
  consume(key: string): Promise<RateLimitResult>;
  /** Hits left for `key` right now, without counting one. */
  remaining(key: string): Promise<number>;
  /** Forgets `key`. */
  reset(key: string): Promise<void>;
}

export interface RateLimiterOptions {
  /** Namespaces the keys in Redis (`crux:rl:<name>:<key>`). */
  name: string;
  limit: number;
  windowMs: number;
  /** Clock of the in-memory limiter (tests); Redis counts on its own clock. */
  now?: () => number;
}

/** A limiter in Redis when `REDIS_URL` is set (or `redis` is given), else in memory. */
export function createRateLimiter(options: RateLimiterOptions, redis: Redis | null = getRedis()): RateLimiter {
  return redis ? new RedisRateLimiter(redis, options) : new MemoryRateLimiter(options);
}

/** This process's count (lib/rate-limit.ts), behind the shared interface. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly inner: SlidingWindowLimiter;
  constructor(options: RateLimiterOptions) {
    this.inner = new SlidingWindowLimiter(options);
  }
  get limit() {
    return this.inner.limit;
  }
  get windowMs() {
    return this.inner.windowMs;
  }
  async consume(key: string) {
    return this.inner.consume(key);
  }
  async remaining(key: string) {
    return this.inner.remaining(key);
  }
  async reset(key: string) {
    this.inner.reset(key);
  }
}

/**
 * One sorted set per key, scored by the time of each hit (Redis's own clock, so instances whose clocks differ
 * still agree); a Lua script drops the hits outside the window and counts, atomically, so two instances can never
 * both take the last hit. The key expires with its window.
 */
const CONSUME = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if ARGV[3] == '' then return {count, 0} end
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {-1, math.max(1, tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {count + 1, 0}
`;

export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RateLimiterOptions,
  ) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError("limit must be a positive integer");
    if (!(options.windowMs > 0)) throw new RangeError("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.prefix = `crux:rl:${options.name}:`;
  }

  async consume(key: string): Promise<RateLimitResult> {
    const [count, retryAfterMs] = await this.run(key, randomUUID());
    if (count < 0) return { ok: false, remaining: 0, retryAfterMs };
    return { ok: true, remaining: this.limit - count, retryAfterMs: 0 };
  }

  async remaining(key: string): Promise<number> {
    const [count] = await this.run(key, "");
    return this.limit - count;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  /** Runs the script: with a member, counts a hit; with "", only counts. Returns [count or -1 when refused, wait]. */
  private async run(key: string, member: string): Promise<[number, number]> {
    const reply = (await this.redis.eval(CONSUME, 1, this.prefix + key, this.windowMs, this.limit, member)) as [
      number,
      number,
    ];
    return [Number(reply[0]), Number(reply[1])];
  }
}
