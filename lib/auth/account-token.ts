import { decode, encode } from "next-auth/jwt";
import { z } from "zod";

/**
 * Reads next-auth's session cookie without next-auth's request machinery, so the proxy, server components and the
 * socket.io handshake (plain Node, outside Next) decode it the same way next-auth wrote it. next-auth names the
 * cookie `__Secure-authjs.session-token` over https and `authjs.session-token` over http, uses the cookie name as
 * the key-derivation salt, and splits values over ~4 kB into `<name>.0`, `<name>.1`, … chunks.
 */
export const ACCOUNT_COOKIE = "authjs.session-token";
export const SECURE_ACCOUNT_COOKIE = `__Secure-${ACCOUNT_COOKIE}`;
const COOKIE_NAMES = [SECURE_ACCOUNT_COOKIE, ACCOUNT_COOKIE] as const;

/** How long an account session lasts (next-auth's `session.maxAge`, seconds). */
export const ACCOUNT_SESSION_MAX_AGE = 30 * 24 * 60 * 60;

/** The claims Crux relies on. `signedInAt` (ms) is set at sign-in and compared with `User.sessionsRevokedAt`. */
export const accountClaimsSchema = z.object({
  sub: z.string().min(1),
  signedInAt: z.number().int().positive().optional(),
  iat: z.number().int().positive().optional(),
});
export type AccountClaims = z.infer<typeof accountClaimsSchema>;

/** When the session began, in ms: our own claim, else the JWT's issue time (seconds, so rounded down). */
export function sessionStartedAt(claims: AccountClaims): number {
  return claims.signedInAt ?? (claims.iat ?? 0) * 1000;
}

function joinedCookie(cookies: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const whole = cookies[name];
  if (whole) return whole;
  const chunks: string[] = [];
  for (let i = 0; cookies[`${name}.${i}`] !== undefined; i++) chunks.push(cookies[`${name}.${i}`] ?? "");
  return chunks.length ? chunks.join("") : undefined;
}

/**
 * The account session's claims from a request's cookies, or null when there is no cookie or it does not decrypt,
 * has expired, or lacks a subject. Checks the token only; whether the user still exists and the session has not
 * been revoked is `resolveUser`'s job (lib/auth/resolve-user.ts).
 */
export async function readAccountToken(
  cookies: Readonly<Record<string, string | undefined>>,
  secret: string,
): Promise<AccountClaims | null> {
  for (const name of COOKIE_NAMES) {
    const token = joinedCookie(cookies, name);
    if (!token) continue;
    try {
      const parsed = accountClaimsSchema.safeParse(await decode({ token, secret, salt: name }));
      if (parsed.success) return parsed.data;
    } catch {
      // Tampered, expired or signed with another secret: treated as no session.
    }
  }
  return null;
}

/**
 * Mints a session cookie value exactly as next-auth does at sign-in (tests and tools; the app signs in through
 * next-auth). Pass `secure` for the `__Secure-` cookie name used over https.
 */
export async function mintAccountToken(
  claims: { sub: string; signedInAt?: number; email?: string | null; name?: string | null },
  secret: string,
  options: { secure?: boolean; maxAge?: number } = {},
): Promise<{ name: string; value: string }> {
  const name = options.secure ? SECURE_ACCOUNT_COOKIE : ACCOUNT_COOKIE;
  const token = { ...claims, signedInAt: claims.signedInAt ?? Date.now() };
  const value = await encode({ token, secret, salt: name, maxAge: options.maxAge ?? ACCOUNT_SESSION_MAX_AGE });
  return { name, value };
}
