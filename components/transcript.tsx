import type { MatchView } from "@/lib/debate/view";
import { TurnText } from "./turn-text";

/** Who a seat is, in the words the judge sees. */
export function speakerName(view: MatchView, seat: string): string {
  return view.protocol === "consultancy" ? "Consultant" : `Debater ${seat}`;
}

/**
 * The match so far, round by round: finished turns, turns being streamed (live, at the end of their round), and
 * the judge's questions after the round they were asked in.
 */
export function Transcript({ view }: { view: MatchView }) {
  if (view.debaters.length === 0) return null;
  const rounds = new Set([...view.turns.map((t) => t.round), ...view.live.map((l) => l.round)]);
  if (rounds.size === 0) {
    return (
      <p className="empty">
        {view.question.hasPassage
          ? "The story is being read. The opening statements will appear here."
          : "The opening statements will appear here."}
      </p>
    );
  }
  const optionOf = (seat: string) => view.debaters.find((d) => d.seat === seat)?.option ?? 0;
  return (
    <ol className="transcript" aria-label="Transcript">
      {[...rounds]
        .sort((a, b) => a - b)
        .map((round) => (
          <li key={round} className="round">
            <h3>Round {round}</h3>
            {view.turns
              .filter((t) => t.round === round)
              .map((turn) => (
                <article key={turn.speaker} className={`turn seat-${turn.speaker}`} data-testid="turn">
                  <header>
                    {speakerName(view, turn.speaker)}{" "}
                    <span className="muted">for “{view.question.options[turn.option]}”</span>
                  </header>
                  <TurnText text={turn.text} quotes={turn.quotes} />
                </article>
              ))}
            {view.live
              .filter((l) => l.round === round)
              .map((live) => (
                <article
                  key={`live-${live.speaker}`}
                  className={`turn live seat-${live.speaker}`}
                  data-testid="live-turn"
                  aria-busy="true"
                >
                  <header>
                    {speakerName(view, live.speaker)}{" "}
                    <span className="muted">for “{view.question.options[optionOf(live.speaker)]}” — writing…</span>
                  </header>
                  <TurnText text={live.text} />
                  <span className="cursor" aria-hidden="true" />
                </article>
              ))}
            {view.judgeQuestions
              .filter((q) => q.afterRound === round)
              .map((q) => (
                <aside key={`q-${q.afterRound}`} className="judge-question" data-testid="judge-question">
                  <strong>You asked:</strong> {q.text}
                </aside>
              ))}
          </li>
        ))}
    </ol>
  );
}
