"use client";

import type { HeadlineComparison } from "@/lib/analysis/results-schema";
import { formatP } from "@/lib/analysis/results-schema";
import { interval, percent, points } from "./format";
import { useResultsPart } from "./use-results-part";

/**
 * The headline: differences in accuracy between conditions (debate against consultancy and naive by default) with
 * two-way cluster bootstrap intervals and permutation p-values, in a sentence and a table. Resampling takes a few
 * seconds on a large study, so it arrives in a second request while the rest of the page is already shown.
 */
export function HeadlineCard({ studyId, query }: { studyId: string; query: string }) {
  const state = useResultsPart<HeadlineComparison>(studyId, "headline", query);
  return (
    <section
      className="notice results-headline"
      aria-labelledby="headline-title"
      aria-busy={state.status === "loading"}
      aria-live="polite"
    >
      <h2 id="headline-title">Headline</h2>
      {state.status === "loading" && (
        <p className="muted" role="status">
          Computing… (cluster bootstrap and permutation test)
        </p>
      )}
      {state.status === "error" && <p role="alert">Could not compute the comparison: {state.message}</p>}
      {state.status === "ready" && (
        <>
          <p className="results-summary" data-testid="headline-summary">
            {state.data.summary}
          </p>
          {state.data.differences.slice(1).map((d) => (
            <p key={`${d.a}-${d.b}`} className="results-summary">
              {d.summary}
            </p>
          ))}
          {state.data.differences.length > 0 && (
            <details>
              <summary>Show numbers</summary>
              <table className="studies-table results-table">
                <thead>
                  <tr>
                    <th scope="col">Comparison</th>
                    <th scope="col">Accuracy</th>
                    <th scope="col">Difference (points)</th>
                    <th scope="col">95% CI</th>
                    <th scope="col">Permutation p</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.differences.map((d) => (
                    <tr key={`${d.a}-${d.b}`}>
                      <th scope="row">
                        {d.a} − {d.b}
                      </th>
                      <td>
                        {percent(d.accuracyA)} (n = {d.nA}) vs {percent(d.accuracyB)} (n = {d.nB})
                      </td>
                      <td>{points(d.estimate)}</td>
                      <td>{d.ci ? `[${points(d.ci[0])}, ${points(d.ci[1])}]` : interval(null)}</td>
                      <td>{formatP(d.p).replace(/^p /, "")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="fine-print">
                Intervals: two-way (judge × question) cluster bootstrap, {state.data.replicates.toLocaleString("en")}{" "}
                replicates; p-values: permutation test within judges where possible,{" "}
                {state.data.permutations.toLocaleString("en")} permutations (docs/statistics.md).
                {state.data.cached ? " From cache." : ` Computed in ${state.data.seconds.toFixed(1)} s.`}
              </p>
            </details>
          )}
        </>
      )}
    </section>
  );
}
