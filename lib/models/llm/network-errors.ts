/**
 * Network failures in an error's `cause` chain, described for a person: codes from Node (undici, net) and Bun, and
 * the messages of the failures that carry none.
 */

/**
 * Network error codes seen in Node (undici, net) and Bun, walking `cause` chains. Mirrors the list the AI SDK
 * itself retries on (provider-utils `handleFetchError`), grouped by what a person should be told.
 */
const NETWORK_CODES: Record<string, string> = {
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  UND_ERR_SOCKET: "connection reset",
  ConnectionClosed: "connection reset",
  ECONNREFUSED: "connection refused: is the server running?",
  ConnectionRefused: "connection refused: is the server running?",
  FailedToOpenSocket: "connection refused: is the server running?",
  ETIMEDOUT: "network timeout",
  UND_ERR_CONNECT_TIMEOUT: "network timeout",
  UND_ERR_HEADERS_TIMEOUT: "network timeout",
  UND_ERR_BODY_TIMEOUT: "network timeout",
  ENOTFOUND: "host not found: check the base URL",
  EAI_AGAIN: "host not found: check the base URL",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "network unreachable",
};

/** Messages of network failures that carry no code (undici's own TypeErrors, Node's http client). */
const NETWORK_MESSAGES: Array<[RegExp, string]> = [
  [/other side closed/i, "connection closed by the server"],
  [/socket hang up/i, "connection reset (socket hang up)"],
  [/ECONNRESET/, "connection reset (ECONNRESET)"],
  [/^(fetch failed|failed to fetch)$/i, "connection failed (fetch failed)"],
];

/** The network failure somewhere in `error`'s cause chain, described; codes win over messages. */
export function networkReason(error: unknown): string | undefined {
  const chain = causeChain(error);
  // undici's "terminated" (a response cut mid-stream) says more than the socket code beneath it.
  if (chain.some((link) => link instanceof Error && /^terminated$/i.test(link.message))) {
    return "connection lost mid-response (terminated)";
  }
  for (const link of chain) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === "string" && Object.hasOwn(NETWORK_CODES, code)) return `${NETWORK_CODES[code]} (${code})`;
  }
  for (const link of chain) {
    if (!(link instanceof Error)) continue;
    for (const [pattern, reason] of NETWORK_MESSAGES) if (pattern.test(link.message)) return reason;
  }
  return undefined;
}

/** `error` and its causes, outermost first; stops at a cycle or after ten links. */
export function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !chain.includes(current) && chain.length < 10) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
