import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { clientIpFrom } from "../client-ip";
import { getDb } from "../db/client";
import { env } from "../env";
import { CruxError } from "../errors";
import { createLogger } from "../log";
import { ACCOUNT_SESSION_MAX_AGE, accountClaimsSchema } from "./account-token";
import { signInWithPassword, signUpWithPassword } from "./accounts";
import { createCruxAdapter } from "./adapter";
import { signInSchema, signUpSchema } from "./credentials";
import { SESSION_COOKIE } from "./guest";
import { getAccountUser, parseCookies } from "./resolve-user";
import { getAuthSecret } from "./secret";
import { clearEmailAttempts, consumeSignInAttempt } from "./sign-in-limits";

/**
 * next-auth (v5) for Crux: email + password through two Credentials providers (`credentials` signs in, `signup`
 * creates the account, both at /api/auth/callback/<id>), and GitHub when AUTH_GITHUB_ID/SECRET are set. Sessions are
 * JWTs (Credentials requires them) carrying the user id and `signedInAt`; who the user is, and whether the session
 * was revoked, is read from the database on every use (lib/auth/resolve-user.ts). See docs/accounts.md.
 */

/** Why an attempt was refused; the forms turn it into a message. */
export type SignInErrorCode = "invalid" | "invalid_input" | "rate_limited" | "email_taken";

/** A refused attempt. `code` travels in the redirect URL (`?error=CredentialsSignin&code=…`), so it says little. */
class SignInRefused extends CredentialsSignin {
  constructor(code: SignInErrorCode) {
    super();
    this.code = code;
  }
}

function guestTokenOf(request: Request): string | undefined {
  return parseCookies(request.headers.get("cookie") ?? undefined)[SESSION_COOKIE];
}

function enforceLimit(email: string | undefined, request: Request): void {
  const verdict = consumeSignInAttempt({ email, ip: clientIpFrom(request.headers) });
  if (!verdict.ok) throw new SignInRefused("rate_limited");
}

const signInProvider = Credentials({
  id: "credentials",
  name: "Email and password",
  credentials: { email: { type: "email" }, password: { type: "password" } },
  async authorize(credentials, request) {
    const input = signInSchema.safeParse(credentials);
    // Even malformed attempts count against the IP.
    enforceLimit(input.success ? input.data.email : undefined, request);
    if (!input.success) throw new SignInRefused("invalid");
    const user = await signInWithPassword(getDb(), { ...input.data, guestToken: guestTokenOf(request) });
    if (!user) throw new SignInRefused("invalid");
    clearEmailAttempts(input.data.email);
    return { id: user.id, email: user.email, name: user.name };
  },
});

const signUpProvider = Credentials({
  id: "signup",
  name: "Create an account",
  credentials: { email: { type: "email" }, password: { type: "password" }, name: { type: "text" } },
  async authorize(credentials, request) {
    const input = signUpSchema.safeParse(credentials);
    enforceLimit(input.success ? input.data.email : undefined, request);
    if (!input.success) throw new SignInRefused("invalid_input");
    try {
      const user = await signUpWithPassword(getDb(), { ...input.data, guestToken: guestTokenOf(request) });
      clearEmailAttempts(input.data.email);
      return { id: user.id, email: user.email, name: user.name };
    } catch (error) {
      if (error instanceof CruxError && error.code === "CONFLICT") throw new SignInRefused("email_taken");
      throw error;
    }
  },
});

function buildConfig(): NextAuthConfig {
  const log = createLogger(env.CRUX_LOG);
  const github =
    env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET
      ? [GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET })]
      : [];
  return {
    secret: getAuthSecret(),
    // Crux serves itself (server.ts) and builds URLs from the Host header, like any self-hosted app; set AUTH_URL
    // behind a proxy that rewrites it.
    trustHost: true,
    adapter: createCruxAdapter(getDb()),
    session: { strategy: "jwt", maxAge: ACCOUNT_SESSION_MAX_AGE },
    providers: [signInProvider, signUpProvider, ...github],
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) return { ...token, sub: user.id, signedInAt: Date.now() };
        // Later reads (e.g. /api/auth/session): a revoked or deleted account's token is dropped and its cookie cleared.
        const claims = accountClaimsSchema.safeParse(token);
        if (!claims.success || !(await getAccountUser(getDb(), claims.data))) return null;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    logger: {
      // A refused password is routine, not a server error.
      error: (error) => {
        if ((error as { type?: string }).type !== "CredentialsSignin") log.error(`auth: ${error.message}`);
      },
      warn: (code) => log.info(`auth warning: ${code}`),
      debug: () => undefined,
    },
  };
}

/** Built per request (lazily), so `next build` never reads or creates the secret. */
export const { handlers, signIn, signOut, auth } = NextAuth(() => buildConfig());

/** True when "Sign in with GitHub" is offered. */
export function gitHubEnabled(): boolean {
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}
