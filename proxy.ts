import { type NextRequest, NextResponse } from "next/server";
import { readAccountToken } from "./lib/auth/account-token";
import { SESSION_COOKIE } from "./lib/auth/guest";
import { signInPath } from "./lib/auth/paths";
import { getAuthSecret } from "./lib/auth/secret";

/**
 * Route protection at the edge (Next 16's `proxy.ts`, Node runtime): research and admin areas need an account
 * session. Anonymous visitors and guests are sent to /signin (pages) or get a JSON 401/403 (APIs). This is the
 * coarse, cookie-only check; each page and server action checks the role again against the database with
 * `requireRole` (lib/auth/session.ts), which also catches revoked sessions.
 */
export async function proxy(request: NextRequest) {
  const cookies = Object.fromEntries(request.cookies.getAll().map((cookie) => [cookie.name, cookie.value]));
  if (await readAccountToken(cookies, getAuthSecret())) return NextResponse.next();

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
  matcher: [
    "/admin/:path*",
    "/studies/:path*",
    "/transcripts/:path*",
    "/api/admin/:path*",
    "/api/studies/:path*",
    "/api/transcripts/:path*",
  ],
};
