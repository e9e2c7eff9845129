"use client";

import { useEffect } from "react";

/** True when a key press belongs to a text field (typing a comment), not to the page's shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * `j` / `k`: the next / previous turn of the transcript (elements with `data-turn`), scrolled into view and put in
 * the address bar (`#turn-<id>`), so the position can be shared.
 */
export function TurnKeys() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (event.key !== "j" && event.key !== "k") return;
      const turns = [...document.querySelectorAll<HTMLElement>("[data-turn]")];
      if (turns.length === 0) return;
      const current = turns.findIndex((t) => `#${t.id}` === window.location.hash);
      const next = current < 0 ? (event.key === "j" ? 0 : turns.length - 1) : current + (event.key === "j" ? 1 : -1);
      const target = turns[Math.max(0, Math.min(turns.length - 1, next))];
      if (!target) return;
      event.preventDefault();
      history.replaceState(null, "", `#${target.id}`);
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return null;
}
