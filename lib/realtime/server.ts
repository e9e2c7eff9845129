import { parse as parseCookie } from "cookie";
import type { Server, Socket } from "socket.io";
import type { z } from "zod";
import { getUserBySessionToken, SESSION_COOKIE, type SessionUser } from "../auth/guest";
import type { Db } from "../db/client";
import { viewFor } from "../debate/view";
import { CruxError, toErrorPayload } from "../errors";
import { assertJudgeOf, assertObserverOf } from "../matches/access";
import type { MatchListener, MatchRunner } from "../matches/runner";
import {
  type Ack,
  type ClientToServerEvents,
  handshakeAuthSchema,
  joinMatchSchema,
  judgeStepSchema,
  roomFor,
  type ServerToClientEvents,
  streamRoomFor,
} from "./protocol";

/**
 * socket.io glue: authenticates the handshake from the session cookie, then one small handler per client event.
 * Each handler parses its payload with the protocol's zod schema, authorizes, calls the runner, and answers
 * with an ack; errors become `{ ok: false, error }` acks and never reach other clients or crash the server.
 */

interface SocketData {
  user: SessionUser;
}

export type CruxServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type CruxSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Broadcasts runner changes: each role's room gets the view shaped for that role. */
export function createSocketListener(io: CruxServer): MatchListener {
  return {
    onChange(snapshot) {
      io.to(roomFor(snapshot.id, "judge")).emit("match:view", viewFor(snapshot, "judge"));
      io.to(roomFor(snapshot.id, "observer")).emit("match:view", viewFor(snapshot, "observer"));
    },
    onDelta(delta) {
      io.to(streamRoomFor(delta.matchId)).emit("turn:delta", delta);
    },
  };
}

export function attachRealtime(io: CruxServer, deps: { db: Db; runner: MatchRunner; log?: (line: string) => void }) {
  const { db, runner } = deps;

  io.use(async (socket, next) => {
    try {
      if (!handshakeAuthSchema.safeParse(socket.handshake.auth).success) {
        return next(new Error("UNSUPPORTED_VERSION: reload the page to get the current version of Crux."));
      }
      const cookies = parseCookie(socket.handshake.headers.cookie ?? "");
      const user = await getUserBySessionToken(db, cookies[SESSION_COOKIE]);
      if (!user) return next(new Error("NOT_AUTHENTICATED: start a game from the home page first."));
      socket.data.user = user;
      next();
    } catch (error) {
      deps.log?.(`handshake failed: ${String(error)}`);
      next(new Error("INTERNAL: could not check your session."));
    }
  });

  io.on("connection", (socket: CruxSocket) => {
    handle(socket, "match:join", joinMatchSchema, async ({ matchId }) => {
      await assertJudgeOf(db, socket.data.user, matchId);
      await socket.join([roomFor(matchId, "judge"), streamRoomFor(matchId)]);
      // Joining starts a waiting match and is idempotent otherwise, so a reconnecting judge simply resyncs.
      return viewFor(await runner.start(matchId), "judge");
    });

    handle(socket, "match:observe", joinMatchSchema, async ({ matchId }) => {
      await assertObserverOf(db, socket.data.user, matchId);
      await socket.join([roomFor(matchId, "observer"), streamRoomFor(matchId)]);
      // Observing never starts or drives a match: it only shows it.
      return viewFor(await runner.snapshot(matchId), "observer");
    });

    handle(socket, "judge:step", judgeStepSchema, async ({ matchId, ...intent }) => {
      const snapshot = await runner.submitJudgeStep(matchId, socket.data.user.id, intent);
      return viewFor(snapshot, "judge");
    });
  });

  /**
   * Registers one event handler with validation and error acks. A payload that fails its schema, a missing ack
   * callback, or a thrown error never throws out of the handler.
   */
  function handle<S extends z.ZodType, R>(
    socket: CruxSocket,
    event: keyof ClientToServerEvents,
    schema: S,
    action: (payload: z.infer<S>) => Promise<R>,
  ): void {
    const listener = async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === "function" ? (ack as (response: Ack<R>) => void) : () => undefined;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` (${issue.path.join(".")})` : "";
        reply({
          ok: false,
          error: { code: "BAD_REQUEST", message: `Invalid ${event} payload${where}: ${issue?.message}` },
        });
        return;
      }
      try {
        reply({ ok: true, data: await action(parsed.data) });
      } catch (error) {
        if (!(error instanceof CruxError)) deps.log?.(`${event} failed: ${String(error)}`);
        reply({ ok: false, error: toErrorPayload(error) });
      }
    };
    // socket.io's typed `on` cannot express "any registered event" generically; the listener validates itself.
    (socket as unknown as { on(e: string, l: typeof listener): void }).on(event, listener);
  }
}
