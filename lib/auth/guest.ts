import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

/**
 * Guest sessions: anyone can play without an account. A guest is a User with role "guest" and a database
 * Session whose token lives only in an httpOnly cookie; the table stores its SHA-256, so a database leak does
 * not leak live sessions. Accounts (next-auth) come later and can adopt a guest's user row and history.
 */
export const SESSION_COOKIE = "crux_session";
const GUEST_SESSION_DAYS = 30;

export interface SessionUser {
  id: string;
  role: string;
  name: string | null;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a guest user and a session for it; returns the raw token to put in the cookie. */
export async function createGuestSession(db: Db): Promise<{ user: SessionUser; token: string; expires: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + GUEST_SESSION_DAYS * 24 * 3600 * 1000);
  const user = await db.user.create({
    data: { role: "guest", sessions: { create: { sessionToken: hashToken(token), expires } } },
    select: { id: true, role: true, name: true },
  });
  return { user, token, expires };
}

/** The user a session token belongs to, or null when the token is unknown or expired. */
export async function getUserBySessionToken(db: Db, token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await db.session.findUnique({
    where: { sessionToken: hashToken(token) },
    select: { expires: true, user: { select: { id: true, role: true, name: true } } },
  });
  if (!session || session.expires.getTime() < Date.now()) return null;
  return session.user;
}

export const sessionCookieOptions = (expires: Date) =>
  ({ httpOnly: true, sameSite: "lax", path: "/", expires, secure: false }) as const;
