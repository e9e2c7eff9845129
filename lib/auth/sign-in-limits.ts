import { rateLimitKeyForIp } from "../client-ip";
import { env } from "../env";
import { SlidingWindowLimiter } from "../rate-limit";

/**
 * Limits on password attempts (sign-in and sign-up): per email address, against guessing one account's password,
 * and per client IP, against trying many accounts. Every attempt counts, right or wrong, so the limit says nothing
 * about whether an account exists; a successful sign-in or sign-up clears its email's count.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

interface Limiters {
  email: SlidingWindowLimiter;
  ip: SlidingWindowLimiter;
}

// On globalThis: Next may load this module in more than one bundle of the same process, and all must share counts.
const globalForLimits = globalThis as unknown as { cruxSignInLimits?: Limiters };

function limiters(): Limiters {
  globalForLimits.cruxSignInLimits ??= {
    email: new SlidingWindowLimiter({ limit: env.CRUX_SIGNIN_LIMIT_PER_EMAIL, windowMs: SIGN_IN_WINDOW_MS }),
    ip: new SlidingWindowLimiter({ limit: env.CRUX_SIGNIN_LIMIT_PER_IP, windowMs: SIGN_IN_WINDOW_MS }),
  };
  return globalForLimits.cruxSignInLimits;
}

/** Counts one attempt; `ok: false` (with the wait) when either the IP or the email is over its limit. */
export function consumeSignInAttempt(attempt: { email?: string; ip: string }): { ok: boolean; retryAfterMs: number } {
  const { email, ip } = limiters();
  const byIp = ip.consume(`ip:${rateLimitKeyForIp(attempt.ip)}`);
  if (!byIp.ok) return byIp;
  return attempt.email ? email.consume(`email:${attempt.email}`) : byIp;
}

/** After a successful sign-in or sign-up: the account's own count starts again (the IP's does not). */
export function clearEmailAttempts(email: string): void {
  limiters().email.reset(`email:${email}`);
}
