import { parse as parseCookieHeader } from "cookie";
import type { Db } from "../db/client";
import { type AccountClaims, readAccountToken, sessionStartedAt } from "./account-token";
import { getUserBySessionToken, SESSION_COOKIE } from "./guest";
import type { SessionUser } from "./roles";
import { getAuthSecret } from "./secret";

/**
 * The one notion of "current user", shared by server components and actions (lib/auth/session.ts) and the socket.io
 * handshake (lib/realtime/server.ts): the signed-in account from next-auth's session cookie, else the guest from
 * `crux_session`, else nobody. Every call reads the user from the database, so a changed role applies at once and
 * a revoked session ("sign out everywhere", an admin's revoke) stops working on its next use.
 */

export type CookieJar = Readonly<Record<string, string | undefined>>;

/** Parses a Cookie header into a name → value record. */
export function parseCookies(header: string | undefined): CookieJar {
  return parseCookieHeader(header ?? "");
}

/** True when a session that began at `startedAt` (ms) was issued at or before the user's last revocation. */
export function isRevoked(startedAt: number, sessionsRevokedAt: Date | null): boolean {
  return sessionsRevokedAt !== null && startedAt <= sessionsRevokedAt.getTime();
}

/** The account an account-session's claims stand for, or null when the user is gone or the session was revoked. */
export async function getAccountUser(db: Db, claims: AccountClaims): Promise<SessionUser | null> {
  const user = await db.user.findUnique({
    where: { id: claims.sub },
    select: { id: true, role: true, name: true, email: true, sessionsRevokedAt: true },
  });
  if (!user || isRevoked(sessionStartedAt(claims), user.sessionsRevokedAt)) return null;
  const { sessionsRevokedAt: _, ...sessionUser } = user;
  return sessionUser;
}

/** Who is behind these cookies: account first, then guest, else null. */
export async function resolveUser(
  db: Db,
  cookies: CookieJar,
  options: { secret?: string } = {},
): Promise<SessionUser | null> {
  const claims = await readAccountToken(cookies, options.secret ?? getAuthSecret());
  if (claims) {
    const account = await getAccountUser(db, claims);
    if (account) return account;
  }
  return getUserBySessionToken(db, cookies[SESSION_COOKIE]);
}
