import type { DebaterReport } from "@/lib/debate/reveal";
import type { Quote } from "@/lib/debate/types";
import type { MatchView } from "@/lib/debate/view";
import { speakerName } from "../transcript";

/**
 * What each debater got right or wrong: the answer they argued, their quotes that were found in the story
 * (verified) and those that were not, and their quotes in the round that moved the judge most (decisive).
 */
export function DebaterReports({
  view,
  reports,
  decisive,
}: {
  view: MatchView;
  reports: DebaterReport[];
  decisive: { round: number } | null;
}) {
  return (
    <section className="debater-reports" aria-labelledby="debater-reports-heading">
      <h2 id="debater-reports-heading">The {reports.length > 1 ? "debaters" : "consultant"}</h2>
      <div className="debater-report-grid">
        {reports.map((r) => (
          <article key={r.seat} className={`debater-report seat-${r.seat}`} data-testid={`debater-report-${r.seat}`}>
            <h3>
              {speakerName(view, r.seat)}: {r.arguedCorrect ? "argued the correct answer" : "argued a wrong answer"}
            </h3>
            <p>
              For “{view.question.options[r.option]}”. {r.verified.length} quote{r.verified.length === 1 ? "" : "s"}{" "}
              found in the story, {r.unverified.length} not found.
            </p>
            {decisive && r.decisive.length > 0 && (
              <QuoteList
                title={`Decisive: quoted in round ${decisive.round}, which moved you most`}
                quotes={r.decisive}
              />
            )}
            {r.unverified.length > 0 && <QuoteList title="Not found in the story (unverified)" quotes={r.unverified} />}
          </article>
        ))}
      </div>
    </section>
  );
}

function QuoteList({ title, quotes }: { title: string; quotes: Quote[] }) {
  return (
    <>
      <h4>{title}</h4>
      <ul className="quote-list">
        {quotes.map((q, i) => (
          // Quotes may repeat word for word; their order in the turn is stable.
          // biome-ignore lint/suspicious/noArrayIndexKey: a quote list never reorders
          <li key={i}>
            <q
              className={`quote ${q.verified ? "verified" : "unverified"}`}
              data-quote-state={q.verified ? "verified" : "unverified"}
            >
              {q.text}
              <span className="quote-badge">{q.verified ? "✓ verified" : "✗ unverified"}</span>
            </q>
          </li>
        ))}
      </ul>
    </>
  );
}
