import Link from "next/link";
import type { ResultsFilters } from "@/lib/analysis/results-schema";

/**
 * The results filters as a plain GET form: applying them reloads the page with the filters in the URL, so every
 * number on it (and the headline request) is computed from the same filters, and the view can be bookmarked.
 */
export function ResultsFiltersForm({
  action,
  filters,
  conditions,
  tags,
}: {
  action: string;
  filters: ResultsFilters;
  /** With the design's judge ("human" or an AI judge's spec) when the condition is in the design. */
  conditions: Array<{ name: string; protocol: string; judge?: string }>;
  tags: string[];
}) {
  return (
    <form method="get" action={action} className="results-filters" aria-label="Filter the results">
      <fieldset className="study-fieldset">
        <legend>Filters</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="results-from">Verdicts from</label>
            <input id="results-from" name="from" type="date" defaultValue={filters.from?.slice(0, 10) ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="results-to">to (inclusive)</label>
            <input id="results-to" name="to" type="date" defaultValue={filters.to?.slice(0, 10) ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="results-kind">Judges</label>
            <select id="results-kind" name="judgeKind" defaultValue={filters.judgeKind}>
              <option value="all">Humans and AI</option>
              <option value="human">Humans only</option>
              <option value="ai">AI judges only</option>
            </select>
          </div>
        </div>
        <fieldset className="results-conditions">
          <legend>Conditions (none ticked: all)</legend>
          {conditions.map((c) => (
            <label key={c.name} className="check-row">
              <input
                type="checkbox"
                name="condition"
                value={c.name}
                defaultChecked={filters.condition.includes(c.name)}
              />{" "}
              {c.name}{" "}
              <span className="muted">
                ({c.protocol}
                {c.judge && `, ${c.judge === "human" ? "human judges" : `AI judge ${c.judge}`}`})
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field-row">
          <div className="field">
            <label htmlFor="results-tags">Tags of the question or match (all must match, comma-separated)</label>
            <input
              id="results-tags"
              name="tag"
              type="text"
              list="results-tag-list"
              defaultValue={filters.tag.join(", ")}
            />
            <datalist id="results-tag-list">
              {tags.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="results-judge">Judge (user id or AI model spec)</label>
            <input id="results-judge" name="judge" type="text" defaultValue={filters.judge ?? ""} />
          </div>
        </div>
        <p className="study-actions">
          <button type="submit" className="button primary">
            Apply filters
          </button>
          <Link href={action} className="button">
            Clear
          </Link>
        </p>
      </fieldset>
    </form>
  );
}
