"use client";

import { useId } from "react";

/**
 * Labelled inputs of the study forms: each shows its hint and its errors (from the server's zod issues) next to
 * it, announced with the input through aria-describedby, and marks itself invalid.
 */

interface BaseProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  errors?: readonly string[];
}

function describedBy(id: string, hint?: string, errors?: readonly string[]) {
  return [hint ? `${id}-hint` : "", errors?.length ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
}

function Notes({ id, hint, errors }: { id: string; hint?: string; errors?: readonly string[] }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={`${id}-error`} className="error">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  value,
  onChange,
  hint,
  errors,
  type = "text",
  list,
  inputMode,
  onBlur,
}: BaseProps & { type?: string; list?: string; inputMode?: "numeric" | "decimal"; onBlur?: () => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        list={list}
        inputMode={inputMode}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
      <Notes id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function TextArea({ label, value, onChange, hint, errors, rows = 4 }: BaseProps & { rows?: number }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={value}
        rows={rows}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(event) => onChange(event.target.value)}
      />
      <Notes id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  value,
  onChange,
  hint,
  errors,
  options,
}: BaseProps & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(event) => onChange(event.target.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Notes id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field checkbox-field">
      <label htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />{" "}
        {label}
      </label>
      <Notes id={id} hint={hint} />
    </div>
  );
}
