/**
 * Tells the live parts of the server that a user's sessions ended (revoked: "sign out everywhere", an admin's
 * revoke) or that their role changed, so connections opened under the old session or role are closed at once
 * rather than at their next intent. lib/auth publishes; the socket server (lib/realtime/server.ts) listens,
 * registered by server.ts. On globalThis because Next bundles lib/auth separately from server.ts in the same
 * process (as lib/matches/runner-registry.ts does for the runner). With several processes, a listener backed by
 * socket.io's Redis adapter (`io.in(room).disconnectSockets()` reaches every node) implements the same interface.
 */

export type SessionEndReason = "revoked" | "role-changed";

export interface SessionEvents {
  /** The user's existing connections must not go on as they were: close them. */
  sessionsEnded(userId: string, reason: SessionEndReason): void;
}

const globalForEvents = globalThis as unknown as { cruxSessionEvents?: SessionEvents };

/** Registers the process's listener (server.ts); returns a function that unregisters it. */
export function registerSessionEvents(events: SessionEvents): () => void {
  globalForEvents.cruxSessionEvents = events;
  return () => {
    if (globalForEvents.cruxSessionEvents === events) globalForEvents.cruxSessionEvents = undefined;
  };
}

/** Publishes that a user's sessions ended; a no-op outside the server (CLI, unit tests). Never throws. */
export function publishSessionsEnded(userId: string, reason: SessionEndReason): void {
  try {
    globalForEvents.cruxSessionEvents?.sessionsEnded(userId, reason);
  } catch {
    // Closing connections is best effort: the revocation itself is stored, and every socket intent re-checks it.
  }
}
