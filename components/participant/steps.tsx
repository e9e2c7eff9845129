import type { ParticipantView } from "@/lib/studies/participants";
import { type StepAction, StepForm } from "./step-form";
import { StudyMatch } from "./study-match";

/**
 * The participant's steps before and during the matches, one per stage: consent, instructions, the comprehension
 * check, the practice match and the assigned matches. Each has its heading, and everything works from the keyboard
 * (native checkboxes, radios and buttons). They get nothing the participant may not see: the check's answers and
 * the matches' stories and gold never reach these components.
 */

interface StepProps {
  view: ParticipantView;
  action: StepAction;
}

/** Researcher-written text: paragraphs separated by blank lines, line breaks kept. */
export function Prose({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  return (
    <div className="prose">
      {paragraphs.map((paragraph, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static text, never reordered
        <p key={index}>{paragraph.trim()}</p>
      ))}
    </div>
  );
}

export function ConsentStep({ view, action }: StepProps) {
  return (
    <section className="participant-step" aria-labelledby="step-heading">
      <h1 id="step-heading">Consent</h1>
      <Prose text={view.consent} />
      <StepForm action={action} studyId={view.studyId} step="consent" submitLabel="Continue">
        <label className="check-row">
          <input type="checkbox" name="agree" required /> I agree to take part in this study
        </label>
      </StepForm>
    </section>
  );
}

export function InstructionsStep({ view, action }: StepProps) {
  return (
    <section className="participant-step" aria-labelledby="step-heading">
      <h1 id="step-heading">Instructions</h1>
      <Prose text={view.instructions} />
      <StepForm action={action} studyId={view.studyId} step="instructions" submitLabel="Continue" />
    </section>
  );
}

export function CheckStep({ view, action }: StepProps) {
  const { questions, attemptsLeft, failedOnce } = view.check;
  return (
    <section className="participant-step" aria-labelledby="step-heading">
      <h1 id="step-heading">A quick check</h1>
      <p>
        Answer {questions.length === 1 ? "this question" : "these questions"} about the instructions before you start.{" "}
        <strong data-testid="attempts-left">{`${attemptsLeft} attempt${attemptsLeft === 1 ? "" : "s"} left.`}</strong>
      </p>
      {failedOnce && (
        <p className="form-error" role="alert">
          Not every answer was right. Read the instructions again, then try once more.
        </p>
      )}
      <details className="passage">
        <summary>Read the instructions again</summary>
        <Prose text={view.instructions} />
      </details>
      <StepForm action={action} studyId={view.studyId} step="check" submitLabel="Check my answers">
        <input type="hidden" name="questions" value={questions.length} />
        {questions.map((question, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the check's questions are fixed and answered by position
          <fieldset key={i} className="choice-group">
            <legend>
              {questions.length > 1 ? `${i + 1}. ` : ""}
              {question.question}
            </legend>
            {question.options.map((option, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: options are answered by position
              <label key={j} className="choice">
                <input type="radio" name={`check.${i}`} value={j} required /> {option}
              </label>
            ))}
          </fieldset>
        ))}
      </StepForm>
    </section>
  );
}

export function PracticeStep({ view, action }: StepProps) {
  const { matchId, complete } = view.practice;
  return (
    <>
      <section className="participant-step practice-banner" aria-labelledby="step-heading">
        <h1 id="step-heading">Practice — not counted</h1>
        <p>This match lets you try everything out. Its result is not counted.</p>
        {!matchId && <StepForm action={action} studyId={view.studyId} step="practice" submitLabel="Continue" />}
      </section>
      {matchId && (
        <StudyMatch
          key={matchId}
          action={action}
          studyId={view.studyId}
          matchId={matchId}
          complete={complete}
          step="practice"
          continueLabel="Continue to the study"
        />
      )}
    </>
  );
}

/** The qualification block: one match at a time, with the pass rule stated up front; never counted in the study. */
export function QualificationStep({ view, action }: StepProps) {
  const { total, done, current, requirement } = view.qualification;
  const position = Math.min(current && !current.complete ? done + 1 : Math.max(done, 1), total);
  return (
    <>
      <section className="participant-step practice-banner" aria-labelledby="step-heading">
        <h1 id="step-heading">{`Qualifying match ${position} of ${total}`}</h1>
        <p>{requirement}</p>
        <progress value={done} max={total} aria-label={`Qualification: ${done} of ${total} matches finished`} />
        {!current && (
          <StepForm action={action} studyId={view.studyId} step="qualification" submitLabel="Start the match" />
        )}
      </section>
      {current && (
        <StudyMatch
          key={current.matchId}
          action={action}
          studyId={view.studyId}
          matchId={current.matchId}
          complete={current.complete}
          errored={current.errored}
          step="qualification"
          continueLabel={position >= total ? "Continue" : "Next qualifying match"}
        />
      )}
    </>
  );
}

export function MatchesStep({ view, action }: StepProps) {
  const { done, total } = view.progress;
  const { current } = view;
  // The match on screen: counted already when it finished before this render.
  const position = Math.min(current?.complete || current?.errored ? done : done + 1, total);
  return (
    <>
      <section className="participant-progress" aria-labelledby="step-heading">
        <h1 id="step-heading">{`Match ${position} of ${total}`}</h1>
        <progress value={done} max={total} aria-label={`Study progress: ${done} of ${total} matches finished`} />
      </section>
      {current ? (
        <StudyMatch
          key={current.matchId}
          action={action}
          studyId={view.studyId}
          matchId={current.matchId}
          complete={current.complete}
          errored={current.errored}
          step="next"
          continueLabel={position >= total ? "Continue" : "Next match"}
          pay={view.pay}
        />
      ) : (
        <section className="notice">
          <p>Your next match is not open yet.</p>
          <StepForm action={action} studyId={view.studyId} step="next" submitLabel="Start the next match" />
        </section>
      )}
    </>
  );
}
