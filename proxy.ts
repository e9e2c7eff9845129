import { type NextRequest, NextResponse } from "next/server";
import { readAccountToken } from "./lib/auth/account-token";
import { SESSION_COOKIE } from "./lib/auth/guest";
import { signInPath } from "./lib/auth/paths";
import { getAuthSecret } from "./lib/auth/secret";
import { contentSecurityPolicy, createNonce } from "./lib/content-security-policy";
import { env } from "./lib/env";

/** Research and admin areas: an account session is needed (checked again, with the role, by each page). */
const PROTECTED_PREFIXES = ["/admin", "/studies", "/transcripts", "/api/admin", "/api/studies", "/api/transcripts"];

function isProtected(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * Runs before every page and route (Next 16's `proxy.ts`, Node runtime):
 * - route protection: research and admin areas need an account session. Anonymous visitors and guests are sent to
 *   /signin (pages) or get a JSON 401/403 (APIs). This is the coarse, cookie-only check; each page and server
 *   action checks the role again against the database with `requireRole` (lib/auth/session.ts), which also catches
 *   revoked sessions;
 * - the Content-Security-Policy with a fresh nonce (lib/content-security-policy.ts).
 */
export async function proxy(request: NextRequest) {
  if (isProtected(request.nextUrl.pathname)) {
    const refused = await refuseWithoutAccount(request);
    if (refused) return refused;
  }
  return withContentSecurityPolicy(request);
}

function withContentSecurityPolicy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(createNonce(), { dev: env.NODE_ENV !== "production" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

async function refuseWithoutAccount(request: NextRequest): Promise<NextResponse | undefined> {
  const cookies = Object.fromEntries(request.cookies.getAll().map((cookie) => [cookie.name, cookie.value]));
  if (await readAccountToken(cookies, getAuthSecret())) return undefined;

  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/")) {
    const guest = Boolean(cookies[SESSION_COOKIE]);
    return NextResponse.json(
      guest
        ? { code: "FORBIDDEN", message: "This needs an account with the right role; guests cannot use it." }
        : { code: "NOT_AUTHENTICATED", message: "Sign in first." },
      { status: guest ? 403 : 401 },
    );
  }
  const target = new URL(signInPath({ callbackUrl: `${pathname}${search}`, reason: "account" }), request.url);
  return NextResponse.redirect(target);
}

export const config = {
  // Everything but Next's static files and the favicon (server.ts gives those the static security headers).
  matcher: ["/((?!_next/static|_next/image|favicon.svg).*)"],
};
