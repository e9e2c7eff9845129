import type { IncomingMessage } from "node:http";

/**
 * Whether a socket.io handshake comes from a page of this site. Browsers always send `Origin` on WebSocket and
 * cross-origin requests, and cookies ride along, so without this check any site could open a socket as its visitor
 * (cross-site WebSocket hijacking). A request without `Origin` is not from a browser page (the CLI, tests, tools
 * with their own cookie) and is let through; the session still decides what it may do.
 *
 * The site's own origin: the public URL when one is configured (AUTH_URL), else the Host the request was sent to
 * (or, with `trustProxy`, the proxy's X-Forwarded-Host).
 */
export function isSameOriginRequest(
  req: IncomingMessage,
  options: { trustProxy: boolean; publicUrl?: string; allowedOrigins?: readonly string[] },
): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (options.allowedOrigins?.includes(parsed.origin)) return true;
  if (options.publicUrl && URL.canParse(options.publicUrl)) {
    if (new URL(options.publicUrl).origin === parsed.origin) return true;
  }
  const forwarded = options.trustProxy ? lastValue(req.headers["x-forwarded-host"]) : undefined;
  const host = forwarded ?? req.headers.host;
  return host !== undefined && parsed.host === host.toLowerCase();
}

function lastValue(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").at(-1)?.trim();
  return value || undefined;
}
