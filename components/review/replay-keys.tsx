"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isTyping } from "./turn-keys";

/** `[` / `]`: the replay's previous / next step (links the page already shows; null at either end). */
export function ReplayKeys({ previous, next }: { previous: string | null; next: string | null }) {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const target = event.key === "[" ? previous : event.key === "]" ? next : null;
      if (!target) return;
      event.preventDefault();
      router.push(target);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [previous, next, router]);
  return null;
}
