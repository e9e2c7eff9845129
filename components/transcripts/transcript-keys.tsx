"use client";

import { useEffect } from "react";

/**
 * Keyboard for the transcript list: `j`/`k` move to the next/previous row (focusing its link, so Enter opens it),
 * `/` focuses the search box. Keys typed into a field are left alone.
 */
export function TranscriptKeys({ searchInputId }: { searchInputId: string }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true']")) return;
      if (event.key === "/") {
        event.preventDefault();
        document.getElementById(searchInputId)?.focus();
        return;
      }
      if (event.key !== "j" && event.key !== "k") return;
      const rows = [...document.querySelectorAll<HTMLElement>("[data-transcript-row]")];
      if (rows.length === 0) return;
      const current = rows.findIndex((row) => row.contains(document.activeElement));
      const next = current === -1 ? (event.key === "j" ? 0 : rows.length - 1) : current + (event.key === "j" ? 1 : -1);
      const row = rows[Math.max(0, Math.min(rows.length - 1, next))];
      event.preventDefault();
      row?.querySelector<HTMLElement>(".row-link")?.focus();
      row?.scrollIntoView({ block: "nearest" });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [searchInputId]);
  return null;
}
