"use client";

import { useEffect, useState } from "react";
import type { ResultsPart } from "@/lib/analysis/results-schema";

export type PartState<T> = { status: "loading" } | { status: "ready"; data: T } | { status: "error"; message: string };

/**
 * Loads one of the results route's slow parts (`headline`, `ratings`) for the page's filters: the page renders
 * at once from the main request and these fill in when the resampling is done.
 */
export function useResultsPart<T>(studyId: string, part: Exclude<ResultsPart, "summary">, query: string): PartState<T> {
  const [state, setState] = useState<PartState<T>>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    const url = `/api/studies/${encodeURIComponent(studyId)}/results?part=${part}${query ? `&${query}` : ""}`;
    fetch(url, { cache: "no-store", signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json()) as T & { message?: string };
        if (!response.ok) throw new Error(body?.message ?? `HTTP ${response.status}`);
        setState({ status: "ready", data: body });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [studyId, part, query]);
  return state;
}
