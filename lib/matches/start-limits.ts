import { rateLimitKeyForIp } from "../client-ip";
import { env } from "../env";
import { waitInWords } from "../rate-limit";
import { createRateLimiter, type RateLimiter } from "../rate-limiter";

/**
 * Limits on starting play matches (the home page's Play and `POST /api/matches`), per user and per client IP (IPv6
 * by /64), shared by all instances when Redis is configured: each start may call paid models and holds a runner, so a script must not start them without end. The
 * per-IP limit also covers clients that drop their cookie to become a new guest each time.
 */
export const MATCH_START_WINDOW_MS = 10 * 60 * 1000;

interface Limiters {
  user: RateLimiter;
  ip: RateLimiter;
}

// On globalThis: Next may load this module in more than one bundle of the same process (the Play action and the
// API route), and all must share counts.
const globalForLimits = globalThis as unknown as { cruxMatchStartLimits?: Limiters };

function limiters(): Limiters {
  globalForLimits.cruxMatchStartLimits ??= {
    user: createRateLimiter({
      name: "start-user",
      limit: env.CRUX_MATCH_STARTS_PER_USER,
      windowMs: MATCH_START_WINDOW_MS,
    }),
    ip: createRateLimiter({ name: "start-ip", limit: env.CRUX_MATCH_STARTS_PER_IP, windowMs: MATCH_START_WINDOW_MS }),
  };
  return globalForLimits.cruxMatchStartLimits;
}

/** Whether a match may start now: with the user to start it for, or how long to wait. */
export type MatchStartAdmission<U> = { ok: true; user: U } | { ok: false; retryAfterMs: number };

/**
 * Counts one match start from `ip` for the user `resolveUser` gives. The IP is checked before the user is resolved,
 * so a refused request creates no guest; a start refused for the user does not use up the IP's allowance (people
 * behind one address are not held back by one of them). Only admitted starts count.
 */
export async function admitMatchStart<U extends { id: string }>(
  ip: string,
  resolveUser: () => Promise<U>,
): Promise<MatchStartAdmission<U>> {
  const limits = limiters();
  const ipKey = `ip:${rateLimitKeyForIp(ip)}`;
  // A full window refuses without counting: this is a check, not a hit.
  if ((await limits.ip.remaining(ipKey)) <= 0) return refused((await limits.ip.consume(ipKey)).retryAfterMs);
  const user = await resolveUser();
  const byUser = await limits.user.consume(`user:${user.id}`);
  if (!byUser.ok) return refused(byUser.retryAfterMs);
  const byIp = await limits.ip.consume(ipKey);
  if (!byIp.ok) return refused(byIp.retryAfterMs);
  return { ok: true, user };
}

function refused(retryAfterMs: number): { ok: false; retryAfterMs: number } {
  return { ok: false, retryAfterMs };
}

/** What a person (the home page) and an API client (the 429's message) are told when a start is refused. */
export function matchStartRefusal(waitSeconds: number): string {
  return `Too many matches have been started from your account or network in a short time: please wait ${waitInWords(waitSeconds)}, then try again.`;
}
