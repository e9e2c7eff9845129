import type { z } from "zod";

/**
 * One error vocabulary for HTTP responses, socket acks and the CLI. Lib code throws `CruxError` with a code;
 * edges map the code to a status (HTTP) or send it in an ack (socket.io).
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  NOT_AUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_TURN: 409,
  MATCH_OVER: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** Another instance drives the match and could not be reached yet (several instances: docs/deploy.md). */
  UNAVAILABLE: 503,
  UNSUPPORTED_VERSION: 426,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class CruxError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CruxError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The wire form of an error (acks, JSON bodies). Unknown errors become INTERNAL without leaking details. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof CruxError) return { code: error.code, message: error.message };
  return { code: "INTERNAL", message: "Something went wrong on the server; the match is unaffected." };
}

/** How {@link zodErrorMessage} words a failed parse. */
export interface ZodMessageOptions {
  /** Only the first problem (a form's one-line status, an ack); by default every problem, joined with "; ". */
  first?: boolean;
  /** At most this many problems (a long list helps nobody). */
  limit?: number;
  /** Names the input as a whole ("body", "query") for a problem with no path; by default the message stands alone. */
  root?: string;
  /** How the path is written: dotted by default (`questions.count`), a function (`--rounds` for the CLI), or
   * `false` for the message alone (when the field is obvious to the reader). */
  path?: false | ((path: readonly PropertyKey[]) => string);
  /** What to say when the error lists no problem (zod always lists one; the types allow none). */
  fallback?: string;
}

/** A path as people read it: `conditions.0.protocol`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** One problem of a failed parse as text ("where: what"), worded by `options` as in {@link zodErrorMessage}. */
export function zodIssueMessage(issue: z.core.$ZodIssue, options: ZodMessageOptions = {}): string {
  // A bad record key: why the key is bad says more than zod's "Invalid key in record".
  const message = (issue.code === "invalid_key" ? issue.issues[0]?.message : undefined) ?? issue.message;
  if (options.path === false) return message;
  const where = issue.path.length ? (options.path ?? dottedPath)(issue.path) : options.root;
  return where ? `${where}: ${message}` : message;
}

/** Every problem of a failed parse as text, one entry per problem (see {@link zodErrorMessage}). */
export function zodIssueMessages(error: z.core.$ZodError, options: ZodMessageOptions = {}): string[] {
  const limit = options.first ? 1 : (options.limit ?? error.issues.length);
  return error.issues.slice(0, limit).map((issue) => zodIssueMessage(issue, options));
}

/**
 * The one way a failed zod parse becomes a message for people (HTTP bodies, acks, forms, the CLI, config files):
 * "path: message" per problem, joined with "; ". Field-by-field display uses {@link zodFieldErrors}.
 */
export function zodErrorMessage(error: z.core.$ZodError, options: ZodMessageOptions = {}): string {
  const messages = zodIssueMessages(error, options);
  return messages.length ? messages.join("; ") : (options.fallback ?? "The input is not valid.");
}

/**
 * Dotted path → its first message, for forms that show each message at its field. Problems of the input as a
 * whole are under `root` (default "form").
 */
export function zodFieldErrors(error: z.core.$ZodError, options: { root?: string } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? dottedPath(issue.path) : (options.root ?? "form");
    out[key] ??= zodIssueMessage(issue, { path: false });
  }
  return out;
}
