"use client";

import { useRouter } from "next/navigation";
import type { ChangeEvent, FormEvent } from "react";
import { PROTOCOLS } from "@/lib/debate/vocabulary-lists";
import {
  FREE_PLAY,
  OUTCOME_FILTER_LABELS,
  parseTranscriptFilters,
  TRANSCRIPT_SORT_LABELS,
  type TranscriptFacets,
  type TranscriptFilters,
  transcriptsHref,
} from "@/lib/transcripts/filters";

/** The id of the search box, which `/` focuses (components/transcripts/transcript-keys.tsx). */
export const SEARCH_INPUT_ID = "transcript-search";

/**
 * The filter bar: a GET form, so the filters live in the URL (shareable; back and forward restore them). A choice
 * in a list applies at once; typed fields apply with Enter or "Apply". Changing the study clears the condition,
 * whose choices are that study's conditions.
 */
export function FilterBar({ filters, facets }: { filters: TranscriptFilters; facets: TranscriptFacets }) {
  const router = useRouter();
  // Navigate to the short URL (no empty fields, page 1) rather than the form's raw query string.
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(
      [...new FormData(event.currentTarget).entries()].map(([key, value]) => [key, String(value)]),
    );
    router.push(transcriptsHref(parseTranscriptFilters(values)));
  };
  const submit = (event: ChangeEvent<HTMLSelectElement>) => {
    const form = event.currentTarget.form;
    if (!form) return;
    if (event.currentTarget.name === "study") {
      const condition = form.elements.namedItem("condition");
      if (condition instanceof HTMLSelectElement) condition.value = "";
    }
    form.requestSubmit();
  };
  const select = (name: keyof TranscriptFilters, label: string, options: Array<[string, string]>) => (
    <div className="field">
      <label htmlFor={`tf-${name}`}>{label}</label>
      <select id={`tf-${name}`} name={name} defaultValue={String(filters[name] ?? "")} onChange={submit}>
        <option value="">any</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  const input = (name: keyof TranscriptFilters, label: string, props: Record<string, string | number> = {}) => (
    <div className="field">
      <label htmlFor={`tf-${name}`}>{label}</label>
      <input id={`tf-${name}`} name={name} defaultValue={String(filters[name] ?? "")} {...props} />
    </div>
  );

  return (
    <form
      method="get"
      action="/transcripts"
      className="transcript-filters"
      aria-label="Filter transcripts"
      onSubmit={apply}
    >
      <div className="transcript-search">
        <label htmlFor={SEARCH_INPUT_ID}>Search the transcripts</label>
        <input
          id={SEARCH_INPUT_ID}
          name="text"
          type="search"
          defaultValue={filters.text ?? ""}
          placeholder='Words said in a turn, a judge question or explanation ("a phrase" in quotes)'
          aria-keyshortcuts="/"
        />
        <button type="submit" className="button primary small">
          Search
        </button>
      </div>
      <div className="transcript-filter-grid">
        {select("study", "Study or dataset", [
          [FREE_PLAY, "Free play (no study)"],
          ...facets.studies.map((s): [string, string] => [s.id, `${s.name} (${s.status})`]),
        ])}
        {select(
          "condition",
          "Condition",
          facets.conditions.map((c): [string, string] => [c, c]),
        )}
        {select(
          "protocol",
          "Protocol",
          PROTOCOLS.map((p): [string, string] => [p, p]),
        )}
        {select("judgeKind", "Judge kind", [
          ["human", "human"],
          ["ai", "AI"],
        ])}
        {select(
          "judge",
          "Judge",
          facets.judges.map((j): [string, string] => [j.key, j.label]),
        )}
        {select(
          "model",
          "Debater model",
          facets.models.map((m): [string, string] => [m, m]),
        )}
        {select("outcome", "Outcome", Object.entries(OUTCOME_FILTER_LABELS))}
        {select(
          "tag",
          "Tag",
          facets.tags.map((t): [string, string] => [t, t]),
        )}
        {input("confMin", "Confidence ≥ %", { type: "number", min: 0, max: 100, step: 1, inputMode: "numeric" })}
        {input("confMax", "Confidence ≤ %", { type: "number", min: 0, max: 100, step: 1, inputMode: "numeric" })}
        {input("rounds", "Rounds", { type: "number", min: 0, max: 1000, step: 1, inputMode: "numeric" })}
        {input("q", "Question or story title", { type: "text" })}
        {input("from", "From", { type: "date" })}
        {input("to", "To (inclusive)", { type: "date" })}
        <div className="field">
          <label htmlFor="tf-sort">Sort by</label>
          <select id="tf-sort" name="sort" defaultValue={filters.sort} onChange={submit}>
            {Object.entries(TRANSCRIPT_SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tf-dir">Order</label>
          <select id="tf-dir" name="dir" defaultValue={filters.dir} onChange={submit}>
            <option value="desc">highest / newest first</option>
            <option value="asc">lowest / oldest first</option>
          </select>
        </div>
      </div>
      <div className="transcript-filter-actions">
        <button type="submit" className="button small">
          Apply
        </button>
        <a href={transcriptsHref({})}>Clear all</a>
      </div>
    </form>
  );
}
