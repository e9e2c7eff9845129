"use client";

import { useEffect, useState } from "react";
import { useFormStatus } from "react-dom";

/** A fresh key for one attempt at starting a match. */
function newKey(): string {
  return crypto.randomUUID();
}

/**
 * The Play form's submit button and its request key: a key made in the browser for this attempt, so that a double
 * click or a resubmission returns the match the first request created (lib/matches/start-guest-match.ts). The
 * button is disabled while the request is under way; the key is renewed when the page is shown again from the
 * back-forward cache, so coming back to play another game starts a new one.
 */
export function PlayButton({ label = "Play", name, value }: { label?: string; name?: string; value?: string }) {
  const { pending } = useFormStatus();
  const [key, setKey] = useState("");
  useEffect(() => {
    setKey(newKey());
    const renew = (event: PageTransitionEvent) => {
      if (event.persisted) setKey(newKey());
    };
    window.addEventListener("pageshow", renew);
    return () => window.removeEventListener("pageshow", renew);
  }, []);
  return (
    <>
      <input type="hidden" name="requestKey" value={key} />
      <button type="submit" className="button primary large" disabled={pending} name={name} value={value}>
        {label}
      </button>
    </>
  );
}
