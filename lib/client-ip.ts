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

/** Whether the client reached the site over HTTPS: `https` or `http`, stamped like the client IP. */
export const CLIENT_PROTO_HEADER = "x-crux-client-proto";

/** Whether the client's connection is HTTPS: directly, or with `trustProxy` as the proxy's X-Forwarded-Proto says. */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ("encrypted" in req.socket && req.socket.encrypted) return true;
  if (!trustProxy) return false;
  const proto = req.headers["x-forwarded-proto"];
  return (Array.isArray(proto) ? proto.join(",") : (proto ?? "")).split(",").at(-1)?.trim() === "https";
}

/**
 * Overwrites the client-IP and client-protocol headers on an incoming request (server.ts, before handing the request
 * to Next), so a client cannot forge either.
 */
export function stampClientIp(req: IncomingMessage, trustProxy: boolean): void {
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, trustProxy);
  req.headers[CLIENT_PROTO_HEADER] = isHttps(req, trustProxy) ? "https" : "http";
}

/** Whether a request stamped by server.ts came over HTTPS (cookies are then `Secure`). */
export function isHttpsFrom(headers: Headers): boolean {
  return headers.get(CLIENT_PROTO_HEADER) === "https";
}

/** The stamped client IP from a request's headers ("unknown" outside server.ts, e.g. under `next dev`). */
export function clientIpFrom(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? "unknown";
}

/**
 * The key a per-IP rate limit counts against. An IPv4 address (also written IPv4-mapped, `::ffff:1.2.3.4`) is one
 * client; an IPv6 address counts by its /64, since one subscriber is routinely given a whole /64 and could otherwise
 * take a fresh address for every attempt.
 */
export function rateLimitKeyForIp(ip: string): string {
  const address = ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(":")) return address;
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  if (groups.length < 4 || groups.slice(0, 4).some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
