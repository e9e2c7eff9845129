import "server-only";
import { cookies } from "next/headers";
import { getDb } from "../db/client";
import {
  createGuestSession,
  getUserBySessionToken,
  SESSION_COOKIE,
  type SessionUser,
  sessionCookieOptions,
} from "./guest";

/** The signed-in user (guest or account) for the current request, or null. For server components and actions. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  return getUserBySessionToken(getDb(), jar.get(SESSION_COOKIE)?.value);
}

/** The current user, creating a guest (and setting its cookie) when there is none. Only in server actions. */
export async function getOrCreateGuest(): Promise<SessionUser> {
  const existing = await getCurrentUser();
  if (existing) return existing;
  const session = await createGuestSession(getDb());
  const jar = await cookies();
  jar.set(SESSION_COOKIE, session.token, sessionCookieOptions(session.expires));
  return session.user;
}
