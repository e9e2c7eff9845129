import { io, type Socket } from "socket.io-client";
import type { MatchView } from "../../lib/debate/view";
import {
  type Ack,
  type ClientToServerEvents,
  PROTOCOL_VERSION,
  type ServerToClientEvents,
} from "../../lib/realtime/protocol";

export type JudgeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Starts a match over HTTP as a new guest (or as the guest of `cookie`); returns its id and the guest's session
 * cookie. `body` is `POST /api/matches`'s (protocol, source, debaters; default all defaults); `headers` are sent too
 * (`x-forwarded-for`, to stand for another client address on a server that trusts a proxy).
 */
export async function createGuestMatch(
  baseUrl: string,
  cookie?: string,
  options: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
): Promise<{ matchId: string; cookie: string }> {
  const response = await fetch(`${baseUrl}/api/matches`, {
    method: "POST",
    headers: { ...options.headers, "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(options.body ?? {}),
  });
  if (response.status !== 201) throw new Error(`POST /api/matches: ${response.status} ${await response.text()}`);
  const { matchId } = (await response.json()) as { matchId: string };
  const setCookie = response.headers.get("set-cookie");
  return { matchId, cookie: cookie ?? setCookie?.split(";")[0] ?? "" };
}

export interface RecordingSocket {
  socket: JudgeSocket;
  /** Every event payload received, serialised, in order (for leak checks). */
  received: string[];
  views: MatchView[];
}

/**
 * A real socket.io client with the guest's cookie, recording everything it receives (unless `record` is false: a
 * long soak keeps only what it listens to). `headers` are sent with the handshake too (`x-forwarded-for`, to stand
 * for another client address on a server that trusts a proxy).
 */
export async function connectJudge(
  baseUrl: string,
  cookie: string,
  options: { headers?: Record<string, string>; record?: boolean } = {},
): Promise<RecordingSocket> {
  const socket: JudgeSocket = io(baseUrl, {
    auth: { v: PROTOCOL_VERSION },
    extraHeaders: { ...options.headers, cookie },
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  const received: string[] = [];
  const views: MatchView[] = [];
  if (options.record !== false) {
    socket.onAny((event, ...args) => {
      received.push(`${event} ${JSON.stringify(args)}`);
    });
    socket.on("match:view", (view) => {
      views.push(view);
    });
  }
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => {
      // A refused handshake leaves the client's connection open: close it.
      socket.disconnect();
      reject(error);
    });
  });
  return { socket, received, views };
}

/** Emits an event and resolves with its ack (recorded as received too). */
export function request<E extends keyof ClientToServerEvents>(
  client: RecordingSocket,
  event: E,
  payload: unknown,
): Promise<Ack<MatchView>> {
  return new Promise((resolve) => {
    const emit = client.socket.emit as unknown as (e: string, p: unknown, ack: (r: Ack<MatchView>) => void) => void;
    emit.call(client.socket, event, payload, (response) => {
      client.received.push(`ack:${event} ${JSON.stringify(response)}`);
      resolve(response);
    });
  });
}

/** Waits until a received view satisfies `predicate` (checking views already received first). */
export function waitForView(
  client: RecordingSocket,
  predicate: (view: MatchView) => boolean,
  timeoutMs = 30_000,
): Promise<MatchView> {
  const found = client.views.find(predicate);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.socket.off("match:view", onView);
      const last = client.views.at(-1);
      reject(new Error(`timed out waiting for a view; last phase: ${JSON.stringify(last?.phase)}`));
    }, timeoutMs);
    const onView = (view: MatchView) => {
      if (!predicate(view)) return;
      clearTimeout(timer);
      client.socket.off("match:view", onView);
      resolve(view);
    };
    client.socket.on("match:view", onView);
  });
}
