import type { Server, Socket } from "socket.io";
import type { z } from "zod";
import { type CookieJar, parseCookies, resolveUser } from "../auth/resolve-user";
import type { SessionUser } from "../auth/roles";
import type { SessionEvents } from "../auth/session-events";
import { clientIpOf } from "../client-ip";
import type { Db } from "../db/client";
import { type MatchSnapshot, viewFor } from "../debate/view";
import { CruxError, toErrorPayload, zodErrorMessage } from "../errors";
import { assertJudgeOf } from "../matches/access";
import type { MatchListener, MatchRunner } from "../matches/runner";
import { SlidingWindowLimiter } from "../rate-limit";
import { assertObserverOf } from "../studies/match-access";
import { DeltaCoalescer } from "./deltas";
import {
  type Ack,
  type ClientToServerEvents,
  DRAFT_INTERVAL_MS,
  handshakeAuthSchema,
  joinMatchSchema,
  judgeDraftSchema,
  judgeStepSchema,
  roomFor,
  type ServerToClientEvents,
  streamRoomFor,
} from "./protocol";
import { SocketGuard, type SocketLimits } from "./socket-limits";

/**
 * socket.io glue: authenticates the handshake from the session cookies (account or guest, exactly as pages do),
 * admits the connection within the open-connection limits per user and per address, joins it to its user's room
 * (so a revoked session or a changed role closes it at once: `createSessionEvents`), then one small handler per
 * client event. Each handler is rate limited per connection, user and address, re-checks the session (so a revoked
 * session or a changed role stops a connected socket at its next intent), parses its payload with the
 * protocol's zod schema, authorizes, calls the runner, and answers with an ack; errors become
 * `{ ok: false, error }` acks and never reach other clients or crash the server.
 */

interface SocketData {
  user: SessionUser;
  /** The handshake's cookies, to re-check the session on every event. */
  cookies: CookieJar;
  /** The client's address at the handshake, for the per-address limits. */
  ip: string;
}

export type CruxServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type CruxSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const coalescers = new WeakMap<CruxServer, DeltaCoalescer>();

/**
 * The chunk stream of a socket.io server: runner deltas are sent to each match's stream room, a burst of them
 * (deltas arriving in one event-loop turn) as one chunk, so views must be renumbered to match (`shown`).
 */
function coalescerFor(io: CruxServer): DeltaCoalescer {
  let coalescer = coalescers.get(io);
  if (!coalescer) {
    coalescer = new DeltaCoalescer((chunk) => io.to(streamRoomFor(chunk.matchId)).emit("turn:delta", chunk));
    coalescers.set(io, coalescer);
  }
  return coalescer;
}

/**
 * A snapshot as clients see it: live turns numbered by the chunks sent (the deltas it includes are sent first).
 * `current` for the runner's latest snapshot (a change broadcast): every waiting chunk of the match goes first.
 */
function shown(io: CruxServer, snapshot: MatchSnapshot, current = false): MatchSnapshot {
  if (snapshot.live.length === 0 && !current) return snapshot;
  return { ...snapshot, live: coalescerFor(io).live(snapshot.id, snapshot.live, current) };
}

/**
 * What the socket layer holds: open connections, rooms (a connection's own, its user's, and per match joined) and
 * live turns whose chunks are being numbered. With nobody connected and nothing streaming, all three are 0.
 */
export function realtimeFootprint(io: CruxServer): { sockets: number; rooms: number; streams: number } {
  const namespace = io.of("/");
  return { sockets: namespace.sockets.size, rooms: namespace.adapter.rooms.size, streams: coalescerFor(io).size };
}

/** The room of every connection of one user: what revocation and role changes close. */
export function userRoomFor(userId: string): string {
  return `user:${userId}`;
}

/**
 * Closes every connection of a user when their sessions end or their role changes (registered by server.ts with
 * `registerSessionEvents`). Through the room, so with socket.io's Redis adapter it reaches every node.
 */
export function createSessionEvents(io: CruxServer, log?: (line: string) => void): SessionEvents {
  return {
    sessionsEnded(userId, reason) {
      log?.(`closing the connections of user ${userId}: ${reason}`);
      io.in(userRoomFor(userId)).disconnectSockets(true);
    },
  };
}

/** Broadcasts runner changes: each role's room gets the view shaped for that role. */
export function createSocketListener(io: CruxServer): MatchListener {
  const chunks = coalescerFor(io);
  return {
    onChange(latest) {
      const snapshot = shown(io, latest, true);
      io.to(roomFor(snapshot.id, "judge")).emit("match:view", viewFor(snapshot, "judge"));
      io.to(roomFor(snapshot.id, "observer")).emit("match:view", viewFor(snapshot, "observer"));
    },
    onDelta(delta) {
      chunks.push(delta);
    },
  };
}

export function attachRealtime(
  io: CruxServer,
  deps: {
    db: Db;
    runner: MatchRunner;
    log?: (line: string) => void;
    authSecret?: string;
    /** Limits on connections and intents (lib/realtime/socket-limits.ts defaults for those not given). */
    limits?: Partial<SocketLimits>;
    /** Take the client's address from X-Forwarded-For (CRUX_TRUST_PROXY), as lib/client-ip.ts does for HTTP. */
    trustProxy?: boolean;
  },
) {
  const { db, runner } = deps;
  const guard = new SocketGuard(deps.limits);
  // Drafts have their own, tighter budget on top: twice what a throttled client sends, so only a client that skips
  // the throttle is cut off.
  const draftLimiter = new SlidingWindowLimiter({ limit: Math.ceil((2 * 2000) / DRAFT_INTERVAL_MS), windowMs: 2000 });
  const authenticate = (cookies: CookieJar) => resolveUser(db, cookies, { secret: deps.authSecret });

  io.use(async (socket, next) => {
    try {
      if (!handshakeAuthSchema.safeParse(socket.handshake.auth).success) {
        return next(new Error("UNSUPPORTED_VERSION: reload the page to get the current version of Crux."));
      }
      const cookies = parseCookies(socket.handshake.headers.cookie);
      const user = await authenticate(cookies);
      if (!user) return next(new Error("NOT_AUTHENTICATED: start a game from the home page first."));
      const ip = clientIpOf(socket.request, deps.trustProxy ?? false);
      const admitted = guard.admit({ socketId: socket.id, userId: user.id, ip });
      if (!admitted.ok) return next(new Error(admitted.message));
      // Released once, on whichever comes first: a socket that never finishes connecting emits no "disconnect".
      const release = () => guard.release(socket.id);
      socket.once("disconnect", release);
      socket.conn.once("close", release);
      if (socket.conn.readyState !== "open") release();
      socket.data.user = user;
      socket.data.cookies = cookies;
      socket.data.ip = ip;
      next();
    } catch (error) {
      deps.log?.(`handshake failed: ${String(error)}`);
      next(new Error("INTERNAL: could not check your session."));
    }
  });

  io.on("connection", (socket: CruxSocket) => {
    void socket.join(userRoomFor(socket.data.user.id));
    socket.on("disconnect", () => draftLimiter.reset(socket.id));

    handle(socket, "match:join", joinMatchSchema, async ({ matchId }, user) => {
      await assertJudgeOf(db, user, matchId);
      await socket.join([roomFor(matchId, "judge"), streamRoomFor(matchId)]);
      // Joining starts a waiting match and is idempotent otherwise, so a reconnecting judge simply resyncs.
      return viewFor(shown(io, await runner.start(matchId)), "judge");
    });

    handle(socket, "match:observe", joinMatchSchema, async ({ matchId }, user) => {
      await assertObserverOf(db, user, matchId);
      await socket.join([roomFor(matchId, "observer"), streamRoomFor(matchId)]);
      // Observing never starts or drives a match: it only shows it.
      return viewFor(shown(io, await runner.snapshot(matchId)), "observer");
    });

    handle(socket, "judge:step", judgeStepSchema, async ({ matchId, ...intent }, user) => {
      const snapshot = await runner.submitJudgeStep(matchId, user.id, intent);
      return viewFor(shown(io, snapshot), "judge");
    });

    handle(socket, "judge:draft", judgeDraftSchema, async ({ matchId, round, probabilities }, user) => {
      const allowed = draftLimiter.consume(socket.id);
      if (!allowed.ok) {
        throw new CruxError("RATE_LIMITED", `Too many drafts: wait ${allowed.retryAfterMs} ms and retry.`);
      }
      await runner.recordDraft(matchId, user.id, { round, probabilities });
      return { round };
    });
  });

  /**
   * Registers one event handler with rate limiting, a session re-check, validation and error acks. A payload that
   * fails its schema, a missing ack callback, or a thrown error never throws out of the handler.
   */
  function handle<S extends z.ZodType, R>(
    socket: CruxSocket,
    event: keyof ClientToServerEvents,
    schema: S,
    action: (payload: z.infer<S>, user: SessionUser) => Promise<R>,
  ): void {
    const listener = async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === "function" ? (ack as (response: Ack<R>) => void) : () => undefined;
      // Counted before anything else, so even malformed floods are cut off cheaply.
      const allowed = await guard.consume({ socketId: socket.id, userId: socket.data.user.id, ip: socket.data.ip });
      if (!allowed.ok) {
        reply({ ok: false, error: { code: "RATE_LIMITED", message: allowed.message } });
        return;
      }
      let user: SessionUser | null;
      try {
        user = await authenticate(socket.data.cookies);
      } catch (error) {
        deps.log?.(`${event} session check failed: ${String(error)}`);
        reply({ ok: false, error: toErrorPayload(error) });
        return;
      }
      if (!user) {
        reply({ ok: false, error: { code: "NOT_AUTHENTICATED", message: "Your session has ended: sign in again." } });
        socket.disconnect();
        return;
      }
      socket.data.user = user;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const problem = zodErrorMessage(parsed.error, { first: true });
        reply({ ok: false, error: { code: "BAD_REQUEST", message: `Invalid ${event} payload: ${problem}` } });
        return;
      }
      try {
        reply({ ok: true, data: await action(parsed.data, user) });
      } catch (error) {
        if (!(error instanceof CruxError)) deps.log?.(`${event} failed: ${String(error)}`);
        reply({ ok: false, error: toErrorPayload(error) });
      }
    };
    // socket.io's typed `on` cannot express "any registered event" generically; the listener validates itself.
    (socket as unknown as { on(e: string, l: typeof listener): void }).on(event, listener);
  }
}
