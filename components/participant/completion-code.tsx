"use client";

import { useState } from "react";

/** The completion code, large, with a button that copies it (and says so, or how to copy it by hand). */
export function CompletionCode({ code }: { code: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("copied");
    } catch {
      // No clipboard (an insecure context, or permission refused): the code stays selectable.
      setCopied("failed");
    }
  }
  return (
    <div className="completion-code">
      <p>Your completion code:</p>
      <p>
        <strong className="code" data-testid="completion-code">
          {code}
        </strong>
      </p>
      <p className="inline-form">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy code
        </button>
        <span role="status" className="hint">
          {copied === "copied" ? "Copied." : copied === "failed" ? "Could not copy: select the code and copy it." : ""}
        </span>
      </p>
    </div>
  );
}
