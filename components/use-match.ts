"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { MatchView, ViewerRole } from "@/lib/debate/view";
import type { ErrorPayload } from "@/lib/errors";
import { applyDelta } from "@/lib/realtime/deltas";
import type {
  Ack,
  ClientToServerEvents,
  JudgeDraftIntent,
  JudgeStepIntent,
  ServerToClientEvents,
} from "@/lib/realtime/protocol";
import { DRAFT_INTERVAL_MS, PROTOCOL_VERSION } from "@/lib/realtime/protocol-constants";

type CruxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface MatchConnection {
  view: MatchView | null;
  connected: boolean;
  error: ErrorPayload | null;
  submitStep(intent: Omit<JudgeStepIntent, "matchId">): Promise<Ack<MatchView>>;
  /**
   * Reports where the judge's slider is (submitted for them if the step's time runs out). Throttled: at most one
   * draft per DRAFT_INTERVAL_MS, the latest position always sent last. Fire and forget.
   */
  sendDraft(draft: Omit<JudgeDraftIntent, "matchId">): void;
}

/**
 * Connects to the match room: joins on every (re)connect and receives the full view, then applies views and
 * streamed chunks as they come. A gap in chunk sequence numbers triggers a resync, so nothing is lost or doubled.
 */
export function useMatch(matchId: string, role: ViewerRole = "judge"): MatchConnection {
  const [view, setViewState] = useState<MatchView | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const socketRef = useRef<CruxSocket | null>(null);
  // Chunks are applied against the latest view synchronously, so the ref mirrors the state.
  const viewRef = useRef<MatchView | null>(null);
  const setView = useCallback((next: MatchView) => {
    viewRef.current = next;
    setViewState(next);
  }, []);

  useEffect(() => {
    const socket: CruxSocket = io({ auth: { v: PROTOCOL_VERSION } });
    socketRef.current = socket;
    const join = () =>
      socket.emit(role === "observer" ? "match:observe" : "match:join", { matchId }, (response) => {
        if (response.ok) {
          setView(response.data);
          setError(null);
        } else setError(response.error);
      });
    socket.on("connect", () => {
      setConnected(true);
      join();
    });
    socket.on("disconnect", () => setConnected(false));
    socket.on("connect_error", (err) => {
      const [code, ...rest] = err.message.split(": ");
      setError({ code: (code ?? "INTERNAL") as ErrorPayload["code"], message: rest.join(": ") || err.message });
    });
    socket.on("match:view", (next) => {
      if (next.id === matchId) setView(next);
    });
    socket.on("turn:delta", (delta) => {
      if (delta.matchId !== matchId) return;
      const current = viewRef.current;
      if (!current) return;
      const next = applyDelta(current, delta);
      if (next === null) join();
      else if (next !== current) setView(next);
    });
    return () => {
      socket.disconnect();
      socketRef.current = null;
    };
  }, [matchId, role, setView]);

  const submitStep = useCallback(
    (intent: Omit<JudgeStepIntent, "matchId">) =>
      new Promise<Ack<MatchView>>((resolve) => {
        const socket = socketRef.current;
        if (!socket?.connected) {
          resolve({ ok: false, error: { code: "INTERNAL", message: "Not connected: waiting to reconnect…" } });
          return;
        }
        socket.emit("judge:step", { ...intent, matchId }, (response) => {
          if (response.ok) setView(response.data);
          resolve(response);
        });
      }),
    [matchId, setView],
  );

  const draftRef = useRef<{
    lastSentAt: number;
    pending: Omit<JudgeDraftIntent, "matchId"> | null;
    timer: number | null;
  }>({ lastSentAt: 0, pending: null, timer: null });
  useEffect(() => {
    const drafts = draftRef.current;
    return () => {
      if (drafts.timer !== null) window.clearTimeout(drafts.timer);
      drafts.timer = null;
      drafts.pending = null;
    };
  }, []);
  const sendDraft = useCallback(
    (draft: Omit<JudgeDraftIntent, "matchId">) => {
      const drafts = draftRef.current;
      drafts.pending = draft;
      if (drafts.timer !== null) return;
      const flush = () => {
        drafts.timer = null;
        const next = drafts.pending;
        drafts.pending = null;
        if (!next) return;
        drafts.lastSentAt = Date.now();
        // A draft refused (stale round, rate limit) needs no handling: the next one, or the step itself, follows.
        socketRef.current?.emit("judge:draft", { ...next, matchId }, () => undefined);
      };
      const wait = drafts.lastSentAt + DRAFT_INTERVAL_MS - Date.now();
      if (wait <= 0) flush();
      else drafts.timer = window.setTimeout(flush, wait);
    },
    [matchId],
  );

  return { view, connected, error, submitStep, sendDraft };
}
