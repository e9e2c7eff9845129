import { rateLimitKeyForIp } from "../client-ip";
import { env } from "../env";
import type { RateLimitResult } from "../rate-limit";
import { createRateLimiter, type RateLimiter } from "../rate-limiter";

/**
 * The limit on study links (`/join/<id>`) per client IP: without it a script could claim every slot of a study
 * with one bare link after another. Every request counts (a returning participant's too, so the limit says nothing
 * about who is enrolled); the default leaves room for a lab of people behind one address.
 */
export const JOIN_WINDOW_MS = 10 * 60 * 1000;

// On globalThis: Next may load this module in more than one bundle of the same process, and all must share counts.
const globalForLimits = globalThis as unknown as { cruxJoinLimiter?: RateLimiter };

/**
 * Counts one study-link request from `ip`; `ok: false` with the wait when the IP is over its limit. Shared by all
 * instances when Redis is configured (lib/rate-limiter.ts).
 */
export function consumeJoinAttempt(ip: string): Promise<RateLimitResult> {
  globalForLimits.cruxJoinLimiter ??= createRateLimiter({
    name: "join",
    limit: env.CRUX_JOIN_LIMIT_PER_IP,
    windowMs: JOIN_WINDOW_MS,
  });
  return globalForLimits.cruxJoinLimiter.consume(`join:${rateLimitKeyForIp(ip)}`);
}
