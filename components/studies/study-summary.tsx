import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { describeRecordedSource, type StudyConfig } from "@/lib/studies/config";

/** The design at a glance: questions, conditions, quota and what participants go through. */
export function StudySummary({ config }: { config: StudyConfig }) {
  const pool = config.questions;
  const questions = pool.ids?.length ?? pool.count;
  const needed = Math.ceil(
    (questions * config.conditions.length * config.judgmentsPerQuestion) / config.questionsPerJudge,
  );
  return (
    <>
      <dl className="account-details">
        <dt>Questions</dt>
        <dd>
          {pool.ids ? `${pool.ids.length} listed ids` : `${pool.count} drawn with seed ${pool.seed}`} from{" "}
          <code>{pool.source}</code>
          {pool.tags.length > 0 && <> with tags {pool.tags.join(", ")}</>}
        </dd>
        <dt>Quota</dt>
        <dd>
          {config.judgmentsPerQuestion} judgment(s) per question and condition; {config.questionsPerJudge} matches per
          participant; about <strong>{needed}</strong> participants needed
        </dd>
        <dt>Participants go through</dt>
        <dd>
          consent, instructions
          {config.comprehensionCheck.questions.length > 0 &&
            `, a ${config.comprehensionCheck.questions.length}-question check (${config.comprehensionCheck.attempts} attempts)`}
          {config.practice && ", a practice match"}
          {config.qualification.matches > 0 &&
            `, ${config.qualification.matches} qualifying match${config.qualification.matches === 1 ? "" : "es"} (${config.qualification.rule} ≥ ${config.qualification.threshold})`}
          , their matches
          {config.survey.length > 0 && `, a ${config.survey.length}-question survey`}; dropout after{" "}
          {config.dropoutMinutes} min
        </dd>
        <dt>Completion</dt>
        <dd>
          codes <code>{config.completion.codes.completed}</code> / <code>{config.completion.codes.failedCheck}</code> /{" "}
          <code>{config.completion.codes.removed}</code>
          {config.completion.redirectUrl ? <> then to {config.completion.redirectUrl}</> : " (shown on screen)"}
        </dd>
      </dl>
      <table className="studies-table" aria-label="Conditions">
        <thead>
          <tr>
            <th scope="col">Condition</th>
            <th scope="col">Protocol</th>
            <th scope="col">Rounds</th>
            <th scope="col">Words</th>
            <th scope="col">Debaters</th>
            <th scope="col">Judge</th>
          </tr>
        </thead>
        <tbody>
          {config.conditions.map((c) => (
            <tr key={c.name}>
              <th scope="row">{c.name}</th>
              <td>{PROTOCOL_LABELS[c.protocol]}</td>
              {c.protocol === "recorded" ? (
                <>
                  <td colSpan={2}>as recorded ({c.mode})</td>
                  <td>{describeRecordedSource(c.source)}</td>
                </>
              ) : (
                <>
                  <td>{c.rounds}</td>
                  <td>{c.wordLimit}</td>
                  <td>{typeof c.debaters === "string" ? c.debaters : c.debaters.join(" / ")}</td>
                </>
              )}
              <td>{c.judge}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
