import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { SessionUser } from "./roles";

/**
 * Guest sessions: anyone can play without an account. A guest is a User with role "guest" and a database
 * Session whose token lives only in an httpOnly cookie; the table stores its SHA-256, so a database leak does
 * not leak live sessions. Signing up or in adopts the guest's user row or history and ends these sessions
 * (lib/auth/accounts.ts); accounts use next-auth's JWT sessions instead.
 */
export const SESSION_COOKIE = "crux_session";
const GUEST_SESSION_DAYS = 30;

export type { SessionUser };

const userFields = { id: true, role: true, name: true, email: true } as const;

/** SHA-256 of a session token, as stored in Session.sessionToken. */
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a guest user and a session for it; returns the raw token to put in the cookie. */
export async function createGuestSession(db: Db): Promise<{ user: SessionUser; token: string; expires: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + GUEST_SESSION_DAYS * 24 * 3600 * 1000);
  const user = await db.user.create({
    data: { role: "guest", sessions: { create: { sessionToken: hashToken(token), expires } } },
    select: userFields,
  });
  return { user, token, expires };
}

/** A new cookie session for an existing user (study participants arriving by link); returns the raw token. */
export async function createSessionFor(db: Db, userId: string): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + GUEST_SESSION_DAYS * 24 * 3600 * 1000);
  await db.session.create({ data: { userId, sessionToken: hashToken(token), expires } });
  return { token, expires };
}

/**
 * The user a session token belongs to, or null when the token is unknown, expired, or older than the user's last
 * "sign out everywhere" (revocation deletes these sessions too; the date check covers a race with it).
 */
export async function getUserBySessionToken(db: Db, token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await db.session.findUnique({
    where: { sessionToken: hashToken(token) },
    select: { expires: true, createdAt: true, user: { select: { ...userFields, sessionsRevokedAt: true } } },
  });
  if (!session || session.expires.getTime() < Date.now()) return null;
  const { sessionsRevokedAt, ...user } = session.user;
  if (sessionsRevokedAt && session.createdAt.getTime() <= sessionsRevokedAt.getTime()) return null;
  return user;
}

/** Ends a guest session (sign-out): its row is deleted, so the cookie no longer works anywhere. */
export async function deleteGuestSession(db: Db, token: string | undefined): Promise<void> {
  if (!token || token.length > 200) return;
  await db.session.deleteMany({ where: { sessionToken: hashToken(token) } });
}

/** The guest and participant session cookie: script cannot read it, and over HTTPS it never travels in clear. */
export const sessionCookieOptions = (expires: Date, secure: boolean) =>
  ({ httpOnly: true, sameSite: "lax", path: "/", expires, secure }) as const;
