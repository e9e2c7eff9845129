import type { MatchView } from "@/lib/debate/view";
import { TurnText } from "./turn-text";

/** The debate so far, round by round, with turns being streamed shown live at the end of their round. */
export function Transcript({ view }: { view: MatchView }) {
  const rounds = new Set([...view.turns.map((t) => t.round), ...view.live.map((l) => l.round)]);
  if (rounds.size === 0) {
    return <p className="empty">The debaters are reading the story. Their opening statements will appear here.</p>;
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
                    Debater {turn.speaker} <span className="muted">for “{view.question.options[turn.option]}”</span>
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
                    Debater {live.speaker}{" "}
                    <span className="muted">for “{view.question.options[optionOf(live.speaker)]}” — writing…</span>
                  </header>
                  <TurnText text={live.text} />
                  <span className="cursor" aria-hidden="true" />
                </article>
              ))}
          </li>
        ))}
    </ol>
  );
}
