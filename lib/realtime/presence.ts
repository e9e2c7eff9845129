import type { Db } from "../db/client";
import { markParticipantsSeen } from "../studies/participants";

/**
 * Signs of life of study participants: a participant with an open socket (the match room, the participant page)
 * is present, whether or not they send anything — reading a long round is not leaving. Their `lastSeenAt` is
 * refreshed when they connect and then every `intervalMs` while connected, so the study monitor shows who is
 * online and the dropout sweep (lib/studies/assignment.ts) frees only the slots of people who really left.
 */

interface PresenceSocket {
  data: { user?: { id: string; role: string } };
}

interface PresenceServer {
  on(event: "connection", listener: (socket: PresenceSocket) => void): unknown;
  sockets: { sockets: Map<string, PresenceSocket> };
}

export function trackParticipantPresence(
  io: PresenceServer,
  db: Db,
  options: { intervalMs?: number; log?: (line: string) => void } = {},
): () => void {
  const touch = (userIds: string[]) => {
    if (userIds.length === 0) return;
    markParticipantsSeen(db, userIds).catch((error: unknown) =>
      options.log?.(`could not record participants' presence: ${String(error)}`),
    );
  };
  const participantsOnline = () => {
    const ids = new Set<string>();
    for (const socket of io.sockets.sockets.values())
      if (socket.data.user?.role === "participant") ids.add(socket.data.user.id);
    return [...ids];
  };
  io.on("connection", (socket) => {
    const user = socket.data.user;
    if (user?.role === "participant") touch([user.id]);
  });
  const timer = setInterval(() => touch(participantsOnline()), options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
