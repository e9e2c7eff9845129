/**
 * An in-memory sliding-window rate limiter: at most `limit` hits per key in any window of `windowMs`. Exact (it
 * keeps the timestamps of the hits still inside the window, at most `limit` per key), so a burst at the edge of a
 * fixed window cannot double the allowance. State lives in this process only: with several server processes each
 * counts on its own (see docs/accounts.md).
 */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  /** Clock in milliseconds; tests pass a fake one. */
  now?: () => number;
  /** Forget idle keys once more than this many are tracked (default 10,000), so memory stays bounded. */
  maxKeys?: number;
}

export interface RateLimitResult {
  ok: boolean;
  /** Hits left in the current window after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until the oldest counted hit leaves the window. */
  retryAfterMs: number;
}

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly hits = new Map<string, number[]>();

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError("limit must be a positive integer");
    if (!(options.windowMs > 0)) throw new RangeError("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Counts a hit for `key` if the window allows it; a refused hit is not counted. */
  consume(key: string): RateLimitResult {
    const now = this.now();
    const recent = this.recent(key, now);
    if (recent.length >= this.limit) {
      const oldest = recent[0] ?? now;
      return { ok: false, remaining: 0, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
    }
    recent.push(now);
    if (!this.hits.has(key)) {
      if (this.hits.size >= this.maxKeys) this.prune(now);
      this.hits.set(key, recent);
    }
    return { ok: true, remaining: this.limit - recent.length, retryAfterMs: 0 };
  }

  /** Hits left for `key` right now, without counting one. */
  remaining(key: string): number {
    return this.limit - this.recent(key, this.now()).length;
  }

  /** Forgets `key` (e.g. a closed connection, or a successful sign-in). */
  reset(key: string): void {
    this.hits.delete(key);
  }

  /** Number of keys tracked (for tests). */
  get size(): number {
    return this.hits.size;
  }

  /** The key's hits still inside the window, oldest first; drops the expired ones in place. */
  private recent(key: string, now: number): number[] {
    const list = this.hits.get(key) ?? [];
    const cutoff = now - this.windowMs;
    let expired = 0;
    while (expired < list.length && (list[expired] ?? 0) <= cutoff) expired++;
    if (expired > 0) list.splice(0, expired);
    if (list.length === 0) this.hits.delete(key);
    return list;
  }

  /**
   * Drops keys with no hit inside the window; if all are live, drops half of them, those with the fewest hits first
   * (then the least recently hit). A flood of fresh keys (one hit each) therefore cannot evict a key that is close to
   * or at its limit, which would hand the attacker a fresh allowance for it.
   */
  private prune(now: number): void {
    for (const key of [...this.hits.keys()]) this.recent(key, now);
    if (this.hits.size < this.maxKeys) return;
    const byValue = [...this.hits.entries()].sort(
      ([, a], [, b]) => a.length - b.length || (a.at(-1) ?? 0) - (b.at(-1) ?? 0),
    );
    for (const [key] of byValue.slice(0, Math.ceil(byValue.length / 2))) this.hits.delete(key);
  }
}

/** A refusal's wait in whole seconds, as a Retry-After header gives it (at least 1). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** A wait in words for people: "45 seconds" under two minutes, else whole minutes rounded up ("3 minutes"). */
export function waitInWords(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
