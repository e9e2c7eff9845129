import type { LiveTurn, MatchView } from "../debate/view";
import type { TurnDelta } from "./protocol";

/**
 * Applies a streamed chunk to a view's live turns (browser side). Returns the same view when the chunk is
 * already included (a fresh view can overtake its chunks), a new view when it extends a live turn, and null when
 * a chunk is missing — the caller then resyncs by joining again, so text is never lost or doubled.
 */
export function applyDelta(view: MatchView, delta: TurnDelta): MatchView | null {
  if (view.turns.some((t) => t.round === delta.round && t.speaker === delta.speaker)) return view;
  const index = view.live.findIndex((l) => l.round === delta.round && l.speaker === delta.speaker);
  const current: LiveTurn = view.live[index] ?? { round: delta.round, speaker: delta.speaker, text: "", seq: -1 };
  if (delta.seq <= current.seq) return view;
  if (delta.seq !== current.seq + 1) return null;
  const next = { ...current, text: current.text + delta.text, seq: delta.seq };
  const live = index >= 0 ? view.live.map((l, i) => (i === index ? next : l)) : [...view.live, next];
  return { ...view, live };
}
