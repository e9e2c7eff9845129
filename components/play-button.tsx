"use client";

import { useEffect, useState } from "react";
import { useFormStatus } from "react-dom";

/** A fresh key for one attempt at starting a match. */
function newKey(): string {
  return crypto.randomUUID();
}

/**
 * The Play form's request key: made in the browser for this attempt, so that a double click or a resubmission
 * returns the match the first request created (lib/matches/start-guest-match.ts). It is renewed when the page is
 * shown again from the back-forward cache, so coming back to play another game starts a new one. One per form.
 */
export function RequestKeyField() {
  const [key, setKey] = useState("");
  useEffect(() => {
    setKey(newKey());
    const renew = (event: PageTransitionEvent) => {
      if (event.persisted) setKey(newKey());
    };
    window.addEventListener("pageshow", renew);
    return () => window.removeEventListener("pageshow", renew);
  }, []);
  return <input type="hidden" name="requestKey" value={key} />;
}

/** A submit button of the Play form, disabled while the form's request is under way. */
export function PlayButton({
  label,
  name,
  value,
  className = "button primary large",
}: {
  label: string;
  name?: string;
  value?: string;
  className?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending} name={name} value={value}>
      {label}
    </button>
  );
}
