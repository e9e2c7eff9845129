import { z } from "zod";
import type { MatchView, ViewerRole } from "../debate/view";
import { judgeChoiceSchema, OPTION_COUNT, type Seat } from "../debate/vocabulary";
import type { ErrorPayload } from "../errors";
import { PROTOCOL_VERSION } from "./protocol-constants";

/**
 * The socket.io event protocol, shared by the browser and the server (see docs/realtime-protocol.md).
 * Clients send intents with an acknowledgement callback; the server validates every payload with the schemas
 * below, applies the rules, persists, then broadcasts. Bump PROTOCOL_VERSION (./protocol-constants.ts) on any breaking change.
 */
export { DRAFT_INTERVAL_MS, PROTOCOL_VERSION } from "./protocol-constants";

/** Sent in the handshake (`io(url, { auth })`). */
export const handshakeAuthSchema = z.object({ v: z.literal(PROTOCOL_VERSION) });

const matchId = z.string().min(1).max(64);

export const joinMatchSchema = z.object({ matchId });
export type JoinMatch = z.infer<typeof joinMatchSchema>;

/** The judge's decision after a round: probabilities, then another round or the verdict. */
export const judgeStepSchema = z.object({
  matchId,
  /** The round the judge has just read; guards against stale or duplicated intents. */
  round: z.number().int().min(1).max(100),
  /** One per option, in option order: exactly two (a question has exactly two options). */
  probabilities: z
    .array(z.number().min(0).max(1))
    .length(OPTION_COUNT, { error: `must hold one probability per option (${OPTION_COUNT})` }),
  action: judgeChoiceSchema,
  /** Why, with the verdict ("end"). */
  explanation: z.string().trim().max(4000).optional(),
  /** A question or comment for the next round, with "continue" (interactive debate and consultancy). */
  question: z.string().trim().min(1).max(1000).optional(),
});
export type JudgeStepIntent = z.infer<typeof judgeStepSchema>;

/**
 * Where the judge's slider is while they answer `round`, sent as it moves (throttled by the client): if the step's
 * time runs out before they press a button, these probabilities are submitted for them.
 */
export const judgeDraftSchema = judgeStepSchema.pick({ matchId: true, round: true, probabilities: true });
export type JudgeDraftIntent = z.infer<typeof judgeDraftSchema>;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

/** A chunk of a turn being streamed. `seq` starts at 0 for each turn and increases by one per chunk. */
export interface TurnDelta {
  matchId: string;
  round: number;
  speaker: Seat;
  seq: number;
  text: string;
}

export interface ClientToServerEvents {
  /** Join a match's room; the ack carries the full current view (also used to resync after a gap). */
  "match:join": (payload: JoinMatch, ack: (response: Ack<MatchView>) => void) => void;
  /** Judge intent after a round. */
  "judge:step": (payload: JudgeStepIntent, ack: (response: Ack<MatchView>) => void) => void;
  /** The judge's slider moved (the ack just confirms it was kept: `{ round }`). */
  "judge:draft": (payload: JudgeDraftIntent, ack: (response: Ack<{ round: number }>) => void) => void;
  /** Watch a match read-only as a researcher (sees the story and the answer; never allowed to judges). */
  "match:observe": (payload: JoinMatch, ack: (response: Ack<MatchView>) => void) => void;
}

export interface ServerToClientEvents {
  /** The whole view, sent whenever the match's state changes (turn finished, judge step, verdict, error). */
  "match:view": (view: MatchView) => void;
  /** Live text of a turn being produced. */
  "turn:delta": (delta: TurnDelta) => void;
}

/** Room names: views differ by role, so each role listens in its own room. */
export const roomFor = (matchId: string, role: ViewerRole) => `match:${matchId}:${role}`;
export const streamRoomFor = (matchId: string) => `match:${matchId}:stream`;
