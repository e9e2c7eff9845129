"use client";

import { useId, useState } from "react";

/** A read-only value (a link to share) with a Copy button; falls back to selecting the text to copy by hand. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      const input = document.getElementById(id);
      if (input instanceof HTMLInputElement) input.select();
      setCopied("no");
    }
  }
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="inline-form">
        <input id={id} readOnly value={value} onFocus={(event) => event.target.select()} />
        <button type="button" className="button small" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          Copy
        </button>
        <span className="hint" role="status">
          {copied === "yes" ? "Copied." : copied === "no" ? "Selected: press Ctrl+C to copy." : ""}
        </span>
      </div>
    </div>
  );
}
