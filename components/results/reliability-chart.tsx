"use client";

import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import type { ConditionResult } from "@/lib/analysis/results-schema";
import { CONDITION_COLOURS, decimal, percent } from "./format";

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
  const bins = condition.reliability.filter((b) => b.count > 0 && b.meanConfidence !== null && b.accuracy !== null);
  const data = bins.map((b) => ({
    confidence: (b.meanConfidence ?? 0) * 100,
    accuracy: (b.accuracy ?? 0) * 100,
    count: b.count,
  }));
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
        <ScatterChart
          responsive
          style={{ width: "100%", maxWidth: 360, aspectRatio: 1 }}
          margin={{ top: 10, right: 10, bottom: 10, left: 0 }}
          title={`Reliability diagram: ${condition.condition}`}
          desc={description}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="confidence"
            name="Confidence"
            unit="%"
            domain={[40, 100]}
            ticks={[40, 50, 60, 70, 80, 90, 100]}
          />
          <YAxis type="number" dataKey="accuracy" name="Accuracy" unit="%" domain={[0, 100]} width={48} />
          <ZAxis type="number" dataKey="count" range={[30, 300]} name="Judgments" />
          <ReferenceLine
            segment={[
              { x: 40, y: 40 },
              { x: 100, y: 100 },
            ]}
            stroke="#6b6b72"
            strokeDasharray="4 4"
            ifOverflow="hidden"
          />
          <Tooltip formatter={(value, name) => (name === "Judgments" ? value : `${Number(value).toFixed(1)}%`)} />
          <Scatter data={data} fill={colour} line isAnimationActive={false} name={condition.condition} />
        </ScatterChart>
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
