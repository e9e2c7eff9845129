import type { ConditionResult, StudyResults } from "@/lib/analysis/results-schema";
import { decimal, duration, interval, percent, points } from "./format";

/** The per-condition summary: accuracy with its interval, scores, and what was left out and why. */
export function ConditionsTable({ conditions }: { conditions: ConditionResult[] }) {
  return (
    <table className="studies-table results-table">
      <caption>Per condition (mean score is the game's score with round costs; log score and Brier are not)</caption>
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Protocol</th>
          <th scope="col">n</th>
          <th scope="col">Accuracy (95% CI)</th>
          <th scope="col">Mean score</th>
          <th scope="col">Log score</th>
          <th scope="col">Brier</th>
          <th scope="col">ECE</th>
          <th scope="col">Excluded</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.condition}>
            <th scope="row">{c.condition}</th>
            <td>{c.protocol}</td>
            <td>{c.n}</td>
            <td>
              {percent(c.accuracy)} {interval(c.ci)}
            </td>
            <td>{decimal(c.meanScore)}</td>
            <td>{decimal(c.meanLogScore)}</td>
            <td>{decimal(c.brier)}</td>
            <td>{decimal(c.ece)}</td>
            <td>
              <ExclusionText excluded={c.excluded} pending={c.pending} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExclusionText({ excluded, pending }: { excluded: ConditionResult["excluded"]; pending: number }) {
  const parts = [
    excluded.abandoned && `${excluded.abandoned} abandoned`,
    excluded.errored && `${excluded.errored} errored`,
    excluded.participant && `${excluded.participant} by failed/removed participants`,
    excluded.corrected && `${excluded.corrected} corrected`,
    excluded.practice && `${excluded.practice} practice`,
  ].filter(Boolean);
  return (
    <>
      {excluded.total === 0 ? "none" : `${excluded.total} (${percent(excluded.share, 0)}): ${parts.join(", ")}`}
      {pending > 0 && <span className="muted"> · {pending} in progress</span>}
    </>
  );
}

/** Consultancy: accuracy when the consultant argued the correct option and when it argued the wrong one. */
export function ConsultancyTable({ rows }: { rows: StudyResults["consultancy"] }) {
  return (
    <table className="studies-table results-table">
      <caption>Consultancy: judge accuracy by the consultant's honesty</caption>
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Honest consultant</th>
          <th scope="col">Dishonest consultant</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.condition}>
            <th scope="row">{r.condition}</th>
            <td>
              {percent(r.honest.accuracy)} of {r.honest.n} {interval(r.honest.ci)}
            </td>
            <td>
              {percent(r.dishonest.accuracy)} of {r.dishonest.n} {interval(r.dishonest.ci)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Accuracy by how many rounds the judge read before deciding. */
export function RoundsTable({ rows }: { rows: StudyResults["byRounds"] }) {
  return (
    <table className="studies-table results-table">
      <caption>Accuracy by the number of rounds the judge chose to read</caption>
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Rounds</th>
          <th scope="col">n</th>
          <th scope="col">Accuracy (95% CI)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.condition}-${r.rounds}`}>
            <th scope="row">{r.condition}</th>
            <td>{r.rounds}</td>
            <td>{r.n}</td>
            <td>
              {percent(r.accuracy)} {interval(r.ci)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The most-judged questions with their accuracy, overall and per condition. */
export function QuestionsTable({ rows, total }: { rows: StudyResults["byQuestion"]; total: number }) {
  return (
    <table className="studies-table results-table">
      <caption>
        The {rows.length} most-judged of {total} questions (hardest first among equals)
      </caption>
      <thead>
        <tr>
          <th scope="col">Question</th>
          <th scope="col">n</th>
          <th scope="col">Accuracy</th>
          <th scope="col">By condition (right / judged)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((q) => (
          <tr key={q.questionId}>
            <th scope="row" className="question-text">
              {q.text.length > 140 ? `${q.text.slice(0, 140)}…` : q.text}
            </th>
            <td>{q.n}</td>
            <td>{percent(q.accuracy, 0)}</td>
            <td>{q.byCondition.map((c) => `${c.condition} ${c.correct}/${c.n}`).join(" · ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The judge leaderboard: pseudonyms (the user id in the title, for researchers), accuracy, score and pace. */
export function JudgeLeaderboard({ judges, total }: { judges: StudyResults["judges"]; total: number }) {
  return (
    <table className="studies-table results-table">
      <caption>Judges by mean score{judges.length < total ? ` (the first ${judges.length} of ${total})` : ""}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Judge</th>
          <th scope="col">n</th>
          <th scope="col">Accuracy</th>
          <th scope="col">Mean score</th>
          <th scope="col">Median time</th>
        </tr>
      </thead>
      <tbody>
        {judges.map((j, index) => (
          <tr key={j.id}>
            <td>{index + 1}</td>
            <th scope="row">
              {j.kind === "ai" ? (
                <code>{j.label}</code>
              ) : (
                <span title={`User id ${j.id}`} data-judge-id={j.id}>
                  {j.label}
                </span>
              )}
            </th>
            <td>{j.n}</td>
            <td>{percent(j.accuracy)}</td>
            <td>{decimal(j.meanScore)}</td>
            <td>{duration(j.medianTimeMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Recorded conditions: the new judges' accuracy against the original judges' on the same debates. */
export function RecordedTable({ rows }: { rows: StudyResults["recorded"] }) {
  return (
    <table className="studies-table results-table">
      <caption>
        Recorded debates judged again: new and original judges on the same debates (95% CIs: bootstrap over the debates;
        a 50/50 original verdict counts half)
      </caption>
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Debates</th>
          <th scope="col">New verdicts</th>
          <th scope="col">New judges</th>
          <th scope="col">Original judges</th>
          <th scope="col">Difference (new − original)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.condition}>
            <th scope="row">{r.condition}</th>
            <td>{r.debates}</td>
            <td>
              {r.n}
              {r.unpaired > 0 && <span className="muted"> · {r.unpaired} without an original verdict</span>}
            </td>
            <td>
              {percent(r.newJudges.accuracy)} {interval(r.newJudges.ci)}
            </td>
            <td>
              {percent(r.originalJudges.accuracy)} {interval(r.originalJudges.ci)}
            </td>
            <td>
              {r.difference.estimate === null ? "—" : `${points(r.difference.estimate)} points`}{" "}
              {r.difference.ci ? `[${points(r.difference.ci[0])}, ${points(r.difference.ci[1])}]` : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
