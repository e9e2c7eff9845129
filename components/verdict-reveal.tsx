import { highlightSegments } from "@/lib/debate/quotes";
import type { MatchView } from "@/lib/debate/view";
import { SCORING_RULE_LABELS } from "@/lib/debate/vocabulary";

/** After the verdict: the correct answer, the judge's score, and the story with every verified quote highlighted. */
export function VerdictReveal({ view }: { view: MatchView }) {
  const reveal = view.reveal;
  if (!reveal?.verdict) return null;
  const { verdict, gold, passage } = reveal;
  const options = view.question.options;
  const spans = reveal.quotes
    .flat()
    .flatMap((q) => (q.start !== undefined && q.end !== undefined ? [{ start: q.start, end: q.end }] : []));
  const segments = passage ? highlightSegments(passage.text, spans) : [];
  return (
    <section className="reveal" aria-label="Result">
      <div className={`result ${verdict.correct ? "correct" : "incorrect"}`} role="status">
        <h2>{verdict.correct ? "You were right." : "Not this time."}</h2>
        <p>
          Correct answer: <strong data-testid="gold-answer">{options[gold]}</strong>
        </p>
        {verdict.chosen === null ? (
          <p>
            A 50–50 tie after {verdict.rounds} round{verdict.rounds === 1 ? "" : "s"}.
          </p>
        ) : (
          <p>
            You chose “{options[verdict.chosen]}” with {Math.round((verdict.probabilities[verdict.chosen] ?? 0) * 100)}%
            after {verdict.rounds} round{verdict.rounds === 1 ? "" : "s"}.
          </p>
        )}
        {view.protocol === "consultancy" && view.debaters[0] && (
          <p>
            The consultant was arguing {view.debaters[0].option === gold ? "the correct answer" : "a wrong answer"}{" "}
            (consultants are assigned the correct answer half the time).
          </p>
        )}
        <p>
          Score ({SCORING_RULE_LABELS[view.scoring.rule]} rule
          {view.scoring.roundCost > 0 ? ", less the cost of the rounds after the first" : ""}; 1 for 100% on the correct
          answer, 0 for 50–50): <strong data-testid="score">{verdict.score.toFixed(3)}</strong>
        </p>
      </div>
      {passage && (
        <article className="passage" aria-label="The story">
          <h2>{passage.title}</h2>
          <p className="muted">
            {spans.length} quoted passage{spans.length === 1 ? "" : "s"} highlighted. {passage.license}
          </p>
          <div className="passage-text">
            {withOffsets(segments).map(({ segment, offset }) =>
              segment.highlighted ? <mark key={offset}>{segment.text}</mark> : <span key={offset}>{segment.text}</span>,
            )}
          </div>
        </article>
      )}
    </section>
  );
}

/** Pairs each segment with its offset in the passage, which makes a stable key. */
function withOffsets<T extends { text: string }>(segments: T[]): { segment: T; offset: number }[] {
  let offset = 0;
  return segments.map((segment) => {
    const item = { segment, offset };
    offset += segment.text.length;
    return item;
  });
}
