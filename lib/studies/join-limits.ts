import { rateLimitKeyForIp } from "../client-ip";
import { env } from "../env";
import { type RateLimitResult, SlidingWindowLimiter } from "../rate-limit";

/**
 * The limit on study links (`/join/<id>`) per client IP: without it a script could claim every slot of a study
 * with one bare link after another. Every request counts (a returning participant's too, so the limit says nothing
 * about who is enrolled); the default leaves room for a lab of people behind one address.
 */
export const JOIN_WINDOW_MS = 10 * 60 * 1000;

// On globalThis: Next may load this module in more than one bundle of the same process, and all must share counts.
const globalForLimits = globalThis as unknown as { cruxJoinLimiter?: SlidingWindowLimiter };

/** Counts one study-link request from `ip`; `ok: false` with the wait when the IP is over its limit. */
export function consumeJoinAttempt(ip: string): RateLimitResult {
  globalForLimits.cruxJoinLimiter ??= new SlidingWindowLimiter({
    limit: env.CRUX_JOIN_LIMIT_PER_IP,
    windowMs: JOIN_WINDOW_MS,
  });
  return globalForLimits.cruxJoinLimiter.consume(`join:${rateLimitKeyForIp(ip)}`);
}
