"use client";

import { useActionState, useId } from "react";
import { type AuthFormState, PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/credentials";

type AuthAction = (previous: AuthFormState, formData: FormData) => Promise<AuthFormState>;

/**
 * The sign-in and sign-up forms: a server action validates (zod) and answers with messages shown next to the fields
 * and announced to screen readers; what was typed (never the password) is kept. Works without JavaScript too.
 */
export function AuthForm({
  mode,
  action,
  callbackUrl,
}: {
  mode: "signin" | "signup";
  action: AuthAction;
  callbackUrl: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const formErrorId = useId();
  const signUp = mode === "signup";
  return (
    <form action={formAction} className="auth-form" noValidate aria-describedby={state.error ? formErrorId : undefined}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.error && (
        <p id={formErrorId} className="form-error" role="alert">
          {state.error}
        </p>
      )}
      {signUp && (
        <Field
          label="Name (optional)"
          name="name"
          autoComplete="name"
          defaultValue={state.values?.name}
          error={state.fields?.name}
        />
      )}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete={signUp ? "email" : "username"}
        required
        defaultValue={state.values?.email}
        error={state.fields?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={signUp ? "new-password" : "current-password"}
        required
        minLength={signUp ? PASSWORD_MIN : undefined}
        maxLength={PASSWORD_MAX}
        hint={signUp ? `At least ${PASSWORD_MIN} characters.` : undefined}
        error={state.fields?.password}
      />
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? (signUp ? "Creating account…" : "Signing in…") : signUp ? "Create account" : "Sign in"}
      </button>
    </form>
  );
}

function Field({
  label,
  name,
  hint,
  error,
  type = "text",
  ...input
}: {
  label: string;
  name: string;
  hint?: string;
  error?: string;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  defaultValue?: string;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        // A new default after a refused attempt must reach the input, which React only reads on mount.
        key={input.defaultValue ?? ""}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="error">
          {error}
        </p>
      )}
    </div>
  );
}
