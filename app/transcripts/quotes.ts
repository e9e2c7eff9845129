import { quoteKey } from "@/components/review/review-transcript";
import type { ProseQuote } from "@/lib/debate/prose";
import type { MatchView } from "@/lib/debate/view";
import type { TurnDetail } from "@/lib/transcripts/review";

/** Every verified quote of a revealed view, keyed as the transcript's quote anchors, for the story panel. */
export function reviewQuotes(view: MatchView, turns: readonly TurnDetail[]): ProseQuote[] {
  return view.turns.flatMap((turn, index) => {
    const turnId = turns.find((t) => t.round === turn.round && t.speaker === turn.speaker)?.id;
    return (view.reveal?.quotes[index] ?? []).flatMap((q, i) =>
      turnId && q.verified && q.start !== undefined && q.end !== undefined
        ? [{ key: quoteKey(turnId, i), owner: turn.speaker, start: q.start, end: q.end }]
        : [],
    );
  });
}
