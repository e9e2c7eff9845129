/**
 * The Content-Security-Policy of every page (proxy.ts sets it with a fresh nonce per request; Next reads the nonce
 * from the request's copy of the header and puts it on its own scripts). Scripts run only from this site with the
 * nonce (`'strict-dynamic'` lets them load Next's chunks), so text that reaches a page — a model's turn, a judge's
 * message, a study's consent text, an imported debate — can never run as script even if it slipped past React's
 * escaping. Styles allow inline attributes: charts and the probability slider set `style`, and CSS cannot run code.
 * Sockets and fetches go to this site only.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  const directives: Record<string, string> = {
    "default-src": "'self'",
    // Next's dev overlay and React's dev build evaluate code; production never does.
    "script-src": `'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
  };
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");
}

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
