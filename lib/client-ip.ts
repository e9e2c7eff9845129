import type { IncomingMessage } from "node:http";

/**
 * The client's IP address, for per-IP rate limits. Next fills in `X-Forwarded-For` only when the client did not
 * send one, so that header cannot be trusted as it arrives. server.ts therefore stamps every request with
 * `x-crux-client-ip` (overwriting any a client sent) before Next sees it; route handlers and server actions read it
 * back with `clientIpFrom`.
 */
export const CLIENT_IP_HEADER = "x-crux-client-ip";

/**
 * The address to count a request against: the socket's peer, or with `trustProxy` the last `X-Forwarded-For` entry
 * (the one the reverse proxy in front of us appended; earlier entries are the client's say-so).
 */
export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers["x-forwarded-for"];
    const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** Overwrites the client-IP header on an incoming request (server.ts, before handing the request to Next). */
export function stampClientIp(req: IncomingMessage, trustProxy: boolean): void {
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, trustProxy);
}

/** The stamped client IP from a request's headers ("unknown" outside server.ts, e.g. under `next dev`). */
export function clientIpFrom(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? "unknown";
}
