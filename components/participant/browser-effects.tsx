"use client";

import { useEffect } from "react";

/** Sends the browser on to `url` once the page has shown (replacing it, so "Back" does not bounce again). */
export function ForwardTo({ url }: { url: string }) {
  useEffect(() => {
    window.location.replace(url);
  }, [url]);
  return null;
}

/**
 * Calls `ping` (a server action) every `everyMs` while the page is open: a participant watching a long match shows
 * no other sign of life, and would otherwise be taken for a dropout and lose their match.
 */
export function Heartbeat({ ping, everyMs = 60_000 }: { ping: () => Promise<void>; everyMs?: number }) {
  useEffect(() => {
    const timer = setInterval(() => {
      ping().catch(() => {
        // Offline for a moment: the next beat, or the next step, will do.
      });
    }, everyMs);
    return () => clearInterval(timer);
  }, [ping, everyMs]);
  return null;
}
