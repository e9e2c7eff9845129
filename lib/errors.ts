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
