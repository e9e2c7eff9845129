import Link from "next/link";
import { percent } from "@/components/results/format";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import type { TranscriptReview } from "@/lib/transcripts/review";

/**
 * The top of a review page: the question and its options (the correct one marked, the judge's choice named), who
 * judged, under what protocol and study, and the verdict with the judge's explanation — said of the judge, to a
 * reviewer ("The judge chose…"), never to them.
 */
export function ReviewHeader({ review }: { review: Omit<TranscriptReview, "others"> }) {
  const { view, judge, study } = review;
  const gold = view.reveal?.gold ?? null;
  const verdict = view.reveal?.verdict ?? null;
  const options = view.question.options;
  return (
    <header className="question-card review-header">
      <p className="muted">
        {PROTOCOL_LABELS[view.protocol]}
        {study && (
          <>
            {" "}
            · <Link href={`/studies/${study.id}`}>{study.name}</Link>
            {study.condition && <> · condition {study.condition}</>}
          </>
        )}{" "}
        · {view.status} ·{" "}
        <time dateTime={review.createdAt.toISOString()}>
          {review.createdAt.toISOString().slice(0, 16).replace("T", " ")}
        </time>
      </p>
      <h1 data-testid="question">{view.question.text}</h1>
      <ul className="review-options" aria-label="Options">
        {options.map((option, i) => (
          <li key={option} className={i === gold ? "correct-option" : undefined} data-testid={`option-${i}`}>
            {option}
            {i === gold && <strong className="badge ok"> ✓ correct answer</strong>}
            {verdict?.chosen === i && <span className="badge"> the judge's choice</span>}
          </li>
        ))}
      </ul>
      <p data-testid="judge">
        Judged by <strong>{judge.label}</strong>
        {judge.kind === "ai" ? " (an AI judge)" : judge.kind === "human" ? " (a person)" : ""}.
      </p>
      {view.debaters.length > 0 && (
        <ul className="debaters">
          {view.debaters.map((d) => (
            <li key={d.seat} className={`seat-${d.seat}`}>
              <strong>{view.protocol === "consultancy" ? "Consultant" : `Debater ${d.seat}`}</strong> argued “
              {options[d.option]}”<span className="model-label">{d.label}</span>
            </li>
          ))}
        </ul>
      )}
      {verdict ? (
        <div className={`result ${verdict.correct ? "correct" : "incorrect"}`} data-testid="verdict">
          {verdict.chosen === null ? (
            <p>
              The judge ended at 50–50 (a tie, counted as half correct) after {verdict.rounds} round
              {verdict.rounds === 1 ? "" : "s"}. Score {verdict.score.toFixed(3)}.
            </p>
          ) : (
            <p>
              The judge chose <strong>“{options[verdict.chosen]}”</strong> with{" "}
              {percent(verdict.probabilities[verdict.chosen], 0)} after {verdict.rounds} round
              {verdict.rounds === 1 ? "" : "s"}, which was <strong>{verdict.correct ? "right" : "wrong"}</strong>. Score{" "}
              {verdict.score.toFixed(3)}.
            </p>
          )}
          {verdict.explanation ? (
            <p data-testid="explanation">
              <strong>The judge's explanation:</strong> {verdict.explanation}
            </p>
          ) : (
            <p className="muted">The judge gave no explanation.</p>
          )}
        </div>
      ) : (
        <p className="muted">{view.error ? `No verdict: ${view.error}` : "No verdict yet."}</p>
      )}
    </header>
  );
}
