import type { SurveyQuestion } from "@/lib/studies/config";
import type { ParticipantView } from "@/lib/studies/participants";
import { type StepAction, StepForm } from "./step-form";

/** The closing questionnaire: free text, 1–7 scales and single choices, required ones marked and enforced. */
export function SurveyStep({ view, action }: { view: ParticipantView; action: StepAction }) {
  const anyRequired = view.survey.some((q) => q.required);
  return (
    <section className="participant-step" aria-labelledby="step-heading">
      <h1 id="step-heading">A few last questions</h1>
      {anyRequired && <p className="hint">Questions marked “required” need an answer.</p>}
      <StepForm action={action} studyId={view.studyId} step="survey" submitLabel="Submit answers">
        {view.survey.map((question) => (
          <SurveyField key={question.id} question={question} />
        ))}
      </StepForm>
    </section>
  );
}

function Required({ required }: { required: boolean }) {
  return required ? <span className="required"> (required)</span> : null;
}

function SurveyField({ question }: { question: SurveyQuestion }) {
  const name = `survey.${question.id}`;
  const id = `survey-${question.id}`;
  if (question.kind === "text") {
    return (
      <div className="field">
        <label htmlFor={id}>
          {question.prompt}
          <Required required={question.required} />
        </label>
        <textarea id={id} name={name} rows={3} maxLength={4000} required={question.required} />
      </div>
    );
  }
  const choices =
    question.kind === "scale"
      ? [1, 2, 3, 4, 5, 6, 7].map((n) => ({ value: String(n), label: String(n) }))
      : question.options.map((option) => ({ value: option, label: option }));
  return (
    <fieldset className={`choice-group ${question.kind === "scale" ? "scale" : ""}`}>
      <legend>
        {question.prompt}
        <Required required={question.required} />
      </legend>
      {question.kind === "scale" && <p className="hint">1 = not at all, 7 = completely</p>}
      <div className="choices">
        {choices.map((choice) => (
          <label key={choice.value} className="choice">
            <input type="radio" name={name} value={choice.value} required={question.required} /> {choice.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
