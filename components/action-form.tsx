"use client";

import { type FormEvent, type ReactNode, useActionState } from "react";

/** What a form's server action answers: success or not, and a short message for the form's live region. */
export interface ActionState {
  ok?: boolean;
  message?: string;
}
/** A server action as a form posts to it (app/form-action.ts makes them). */
export type FormAction = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * A small form posting to a server action (a study's, a transcript's annotations): hidden fields say what it acts on, `children` add
 * inputs, `confirm` asks before anything irreversible, and the action's answer is announced in a live region.
 */
export function ActionForm({
  action,
  fields,
  label,
  pendingLabel,
  confirm,
  primary = false,
  small = false,
  accessibleName,
  children,
  onDone,
  showStatus = true,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  confirm?: string;
  primary?: boolean;
  small?: boolean;
  /** The button's accessible name when the visible label needs context (e.g. whose match it ends). */
  accessibleName?: string;
  children?: ReactNode;
  /** Called with each answer (e.g. to start polling after a run is started). */
  onDone?: (state: ActionState) => void;
  /** False when the caller shows the answer itself (via `onDone`). */
  showStatus?: boolean;
}) {
  const [state, formAction, pending] = useActionState(async (previous: ActionState, formData: FormData) => {
    const next = await action(previous, formData);
    onDone?.(next);
    return next;
  }, {});
  const check = (event: FormEvent<HTMLFormElement>) => {
    if (confirm && !window.confirm(confirm)) event.preventDefault();
  };
  return (
    <form action={formAction} onSubmit={check} className="action-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <button
        type="submit"
        className={`button${primary ? " primary" : ""}${small ? " small" : ""}`}
        disabled={pending}
        aria-label={accessibleName}
      >
        {pending ? (pendingLabel ?? `${label}…`) : label}
      </button>
      {showStatus && (
        <span className={state.ok === false ? "error" : "hint"} role="status">
          {state.message ?? ""}
        </span>
      )}
    </form>
  );
}
