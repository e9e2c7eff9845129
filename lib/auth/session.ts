import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { isHttpsFrom } from "../client-ip";
import { getDb } from "../db/client";
import { createGuestSession, SESSION_COOKIE, sessionCookieOptions } from "./guest";
import { signInPath } from "./paths";
import { resolveUser } from "./resolve-user";
import { hasRole, isAccount, type Role, type SessionUser } from "./roles";

/**
 * The current user for server components and actions: the signed-in account, else the guest, else null — the same
 * answer the socket server gets (both call `resolveUser`). Checked against the database on every call, so a revoked
 * session or a changed role applies at once.
 */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  return resolveUser(getDb(), Object.fromEntries(jar.getAll().map((cookie) => [cookie.name, cookie.value])));
}

/** The current user, creating a guest (and setting its cookie) when there is none. Only in server actions. */
export async function getOrCreateGuest(): Promise<SessionUser> {
  const existing = await getCurrentUser();
  if (existing) return existing;
  const session = await createGuestSession(getDb());
  const jar = await cookies();
  jar.set(SESSION_COOKIE, session.token, sessionCookieOptions(session.expires, isHttpsFrom(await headers())));
  return session.user;
}

/**
 * The current user if they have `role` (or one that includes it); otherwise a redirect to the sign-in page, which
 * brings them back to `callbackUrl` afterwards. For pages and server actions, behind the proxy's coarser check.
 */
export async function requireRole(role: Role, options: { callbackUrl?: string } = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user && hasRole(user, role)) return user;
  redirect(signInPath({ callbackUrl: options.callbackUrl, reason: isAccount(user) ? "forbidden" : "account" }));
}

/** The current user if signed in with an account (any role but guest); otherwise a redirect to sign in. */
export async function requireAccount(options: { callbackUrl?: string } = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user && isAccount(user)) return user;
  redirect(signInPath({ callbackUrl: options.callbackUrl, reason: "account" }));
}
