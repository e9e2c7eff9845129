"use client";

import type { ConditionResult } from "@/lib/analysis/results-schema";
import { CONDITION_COLOURS, decimal, percent } from "./format";
import { filledBins, ReliabilityScatter } from "./reliability-scatter";

/**
 * One reliability diagram per condition: for each confidence bin, how often the chosen option was right against
 * how confident the judges were (points on the diagonal are perfectly calibrated; dot size = judgments), with ECE
 * and Brier score beside it and the bins in a table under "Show numbers".
 */
export function ReliabilityCharts({ conditions }: { conditions: ConditionResult[] }) {
  const shown = conditions.filter((c) => c.n > 0);
  return (
    <div className="reliability-grid">
      {shown.map((c, index) => (
        <ReliabilityChart
          key={c.condition}
          condition={c}
          colour={CONDITION_COLOURS[conditions.indexOf(c) % CONDITION_COLOURS.length] ?? "#3b5bdb"}
          index={index}
        />
      ))}
    </div>
  );
}

function ReliabilityChart({ condition, colour, index }: { condition: ConditionResult; colour: string; index: number }) {
  const bins = filledBins(condition.reliability);
  const id = `reliability-${index}`;
  const description =
    `${condition.condition}: ECE ${decimal(condition.ece)}, Brier ${decimal(condition.brier)}. ` +
    bins.map((b) => `confidence ${percent(b.meanConfidence)}: ${percent(b.accuracy)} right of ${b.count}`).join("; ");
  return (
    <figure className="results-figure reliability" aria-describedby={`${id}-description`}>
      <figcaption>
        <strong>{condition.condition}</strong> — ECE {decimal(condition.ece)}, Brier {decimal(condition.brier)}, log
        score {decimal(condition.meanLogScore)}
      </figcaption>
      <div className="results-chart">
        <ReliabilityScatter
          bins={bins}
          colour={colour}
          title={`Reliability diagram: ${condition.condition}`}
          description={description}
          countName="Judgments"
        />
      </div>
      <p id={`${id}-description`} className="visually-hidden">
        {description}
      </p>
      <details>
        <summary>Show numbers</summary>
        <table className="studies-table results-table">
          <thead>
            <tr>
              <th scope="col">Confidence bin</th>
              <th scope="col">Judgments</th>
              <th scope="col">Mean confidence</th>
              <th scope="col">Accuracy</th>
            </tr>
          </thead>
          <tbody>
            {condition.reliability.map((b) => (
              <tr key={b.lower}>
                <th scope="row">
                  ({percent(b.lower, 0)}, {percent(b.upper, 0)}]
                </th>
                <td>{b.count}</td>
                <td>{percent(b.meanConfidence)}</td>
                <td>{percent(b.accuracy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
