import { z } from "zod";
import { zodFieldErrors } from "../errors";

/**
 * What a person types to sign up or sign in, validated once here for the forms, next-auth's `authorize` and the
 * CLI. Plain module (no server imports), so a form could import it too.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Emails are compared lower-cased and trimmed, so "Ada@Example.org " and "ada@example.org" are one account. */
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

/** Display name; blank means none. */
export const nameSchema = z
  .string()
  .trim()
  .max(80, "Keep the name under 80 characters.")
  .optional()
  .transform((v) => v || undefined);

export const signInSchema = z.object({
  email: emailSchema,
  // Sign-in does not re-apply the length rules (an admin-set password might predate them), only a sane bound.
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX * 4),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const signUpSchema = z.object({ email: emailSchema, password: passwordSchema, name: nameSchema });
export type SignUpInput = z.infer<typeof signUpSchema>;

/** Any origin will do: a callback is resolved against it only to see whether it stays on it. */
const PROBE_ORIGIN = "http://crux.invalid";

/**
 * A path on this site, normalised as a browser would resolve it, or undefined for anything that leaves the site.
 * Browsers drop tabs and newlines and read `\` as `/`, so `/\tevil.example` or `/%09/evil.example` would become
 * `//evil.example`: resolving with the URL parser, as the browser will, and comparing origins catches every variant.
 */
export function sameSitePath(value: string): string | undefined {
  if (!value.startsWith("/")) return undefined;
  let decoded: string;
  try {
    // One level of percent-decoding, as a redirect's Location header may be decoded before it is followed.
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  for (const candidate of [value, decoded]) {
    const url = URL.canParse(candidate, PROBE_ORIGIN) ? new URL(candidate, PROBE_ORIGIN) : undefined;
    if (url?.origin !== PROBE_ORIGIN) return undefined;
  }
  const url = new URL(value, PROBE_ORIGIN);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Where to go after signing in: a path on this site only (see `sameSitePath`), else the home page. */
export const callbackUrlSchema = z
  .string()
  .max(2000)
  .transform((value, ctx) => {
    const path = sameSitePath(value);
    if (path === undefined) {
      ctx.addIssue({ code: "custom", message: "not a path on this site" });
      return z.NEVER;
    }
    return path;
  })
  .catch("/");

/** What a sign-in or sign-up form shows after a refused attempt (returned by the server actions). */
export interface AuthFormState {
  /** A message about the whole attempt (wrong password, too many attempts, …). */
  error?: string;
  /** Field name → message. */
  fields?: Record<string, string>;
  /** What was typed (never the password), to fill the form again. */
  values?: { email?: string; name?: string };
}

/** Field name → first message, for showing errors next to the fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  return zodFieldErrors(error);
}
