import type http from "node:http";

/** Small node:http helpers for the fake model provider. */

/** Sends a complete body with an explicit length (JSON content type: every fake body claims to be JSON). */
export function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends `body` as JSON. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(body), headers);
}

/** The whole request body as text. */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  let text = "";
  req.setEncoding("utf8");
  for await (const part of req) text += String(part);
  return text;
}

/** Parsed JSON, or the raw text when it does not parse (recorded as is, answered with a 400). */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Header map with repeated headers joined, so recorded headers are plain strings. */
export function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
