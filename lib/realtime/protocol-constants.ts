/**
 * The socket protocol's plain constants (./protocol.ts), apart from its zod schemas so that the browser's connection
 * (components/use-match.ts) can read them without shipping zod: the browser sends intents, the server parses them.
 */

/** The protocol's version, sent in the handshake; bump it on any breaking change. */
export const PROTOCOL_VERSION = 1;

/** The least time between two drafts a client sends; the server refuses drafts that come faster (RATE_LIMITED). */
export const DRAFT_INTERVAL_MS = 250;
