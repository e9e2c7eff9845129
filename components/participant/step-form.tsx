"use client";

import { type ReactNode, startTransition, useActionState } from "react";
import type { ParticipantStep } from "@/lib/studies/vocabulary";

/** What a step's form shows after a refused submission. */
export interface StepState {
  message?: string;
}
/** The page's server action that applies a step (passed down, so components do not import from app/). */
export type StepAction = (previous: StepState, formData: FormData) => Promise<StepState>;
/** The step a form submits (one per participant intent). */
export type StepName = ParticipantStep;

/**
 * One step's form: the fields (server-rendered children), a submit button, and the server's answer when it refuses
 * (in an alert, next to the button). Submitting with JavaScript goes through `onSubmit` so a refused form keeps
 * what the participant typed (React resets a form after its `action` runs); without it, the form posts as usual.
 */
export function StepForm({
  action,
  studyId,
  step,
  submitLabel,
  children,
}: {
  action: StepAction;
  studyId: string;
  step: StepName;
  submitLabel: string;
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form
      action={formAction}
      className="step-form"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
    >
      <input type="hidden" name="studyId" value={studyId} />
      <input type="hidden" name="step" value={step} />
      {children}
      {state.message && (
        <p role="alert" className="form-error">
          {state.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending} aria-busy={pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
