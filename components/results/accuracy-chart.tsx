"use client";

import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { ConditionResult } from "@/lib/analysis/results-schema";
import { CONDITION_COLOURS, interval, percent } from "./format";

/**
 * Accuracy per condition as bars with their Wilson 95% intervals as error bars, a 50% line (chance with two
 * options), and the same numbers in a table under "Show numbers".
 */
export function AccuracyChart({ conditions }: { conditions: ConditionResult[] }) {
  const data = conditions
    .filter((c) => c.accuracy !== null)
    .map((c) => ({
      name: c.condition,
      accuracy: (c.accuracy ?? 0) * 100,
      // Asymmetric error bars: distances below and above the estimate.
      error: c.ci ? [((c.accuracy ?? 0) - c.ci[0]) * 100, (c.ci[1] - (c.accuracy ?? 0)) * 100] : [0, 0],
      n: c.n,
    }));
  const description = conditions
    .map((c) => `${c.condition}: ${percent(c.accuracy)} correct of ${c.n}, 95% CI ${interval(c.ci)}`)
    .join("; ");
  return (
    <figure className="results-figure" aria-describedby="accuracy-chart-description">
      <figcaption>Judge accuracy by condition, with 95% Wilson intervals</figcaption>
      <div className="results-chart">
        <BarChart
          responsive
          data={data}
          style={{ width: "100%", maxWidth: 760, aspectRatio: 2.4 }}
          margin={{ top: 10, right: 56, bottom: 5, left: 0 }}
          title="Judge accuracy by condition"
          desc={description}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" />
          <YAxis domain={[0, 100]} unit="%" width={48} />
          <ReferenceLine y={50} stroke="#6b6b72" strokeDasharray="4 4" label={{ value: "chance", position: "right" }} />
          <Tooltip formatter={(value) => `${Number(value).toFixed(1)}%`} />
          <Bar dataKey="accuracy" name="Accuracy" isAnimationActive={false}>
            {data.map((entry, index) => (
              <Cell key={entry.name} fill={CONDITION_COLOURS[index % CONDITION_COLOURS.length]} />
            ))}
            <ErrorBar dataKey="error" width={8} strokeWidth={2} stroke="#1d1d1f" isAnimationActive={false} />
          </Bar>
        </BarChart>
      </div>
      <p id="accuracy-chart-description" className="visually-hidden">
        {description}
      </p>
      <details>
        <summary>Show numbers</summary>
        <table className="studies-table results-table">
          <thead>
            <tr>
              <th scope="col">Condition</th>
              <th scope="col">Judgments</th>
              <th scope="col">Correct</th>
              <th scope="col">Accuracy</th>
              <th scope="col">95% CI</th>
            </tr>
          </thead>
          <tbody>
            {conditions.map((c) => (
              <tr key={c.condition}>
                <th scope="row">{c.condition}</th>
                <td>{c.n}</td>
                <td>{c.correct}</td>
                <td>{percent(c.accuracy)}</td>
                <td>{interval(c.ci)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
