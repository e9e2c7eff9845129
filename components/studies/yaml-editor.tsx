"use client";

import { useId } from "react";

/** The design as YAML or JSON text, typed or loaded from a file; `error` is why the text could not be read. */
export function YamlEditor({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | null;
}) {
  const id = useId();
  async function loadFile(file: File | undefined) {
    if (file) onChange(await file.text());
  }
  return (
    <div className="field">
      <label htmlFor={id}>Study design (YAML or JSON)</label>
      <textarea
        id={id}
        className="code-input"
        rows={28}
        value={value}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      <label className="hint">
        Or load a file:{" "}
        <input
          type="file"
          accept=".yaml,.yml,.json,text/yaml,application/json"
          onChange={(event) => void loadFile(event.target.files?.[0])}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
