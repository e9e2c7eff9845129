import type { IncomingMessage, ServerResponse } from "node:http";
import { isHttps } from "./client-ip";

/**
 * Headers every response carries (server.ts sets them before Next answers, so pages, route handlers, server actions
 * and static files all get them):
 * - no framing by other sites (`frame-ancestors 'none'`, and X-Frame-Options for older browsers): the admin role
 *   menu and the judge's controls cannot be clickjacked. No `form-action`: sign-in with GitHub and the Prolific
 *   completion redirect rightly leave the site after a form post;
 * - no MIME sniffing, so an uploaded or exported file is never run as script;
 * - the referrer leaves the site as its origin only, so a study or match id in a URL does not leak;
 * - no camera, microphone or location for any page;
 * - HSTS only when the request reached us over TLS (directly or, with CRUX_TRUST_PROXY, through a proxy that says
 *   so), since a plain-HTTP local install must stay reachable.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

export const HSTS_HEADER = "max-age=31536000; includeSubDomains";

/** Sets the security headers on a response before it is handled. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxy: boolean): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (isHttps(req, trustProxy)) res.setHeader("Strict-Transport-Security", HSTS_HEADER);
}
