"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

/** One point of the judge's belief: after `label` (a round, or "verdict"), the probability on the correct answer. */
export interface BeliefPoint {
  label: string;
  correct: number;
}

/**
 * The judge's probability on the correct answer after each round, as a line (50% dashed: undecided). The same
 * numbers are listed in the table beside it, which is what screen readers and tests read.
 */
export function ProbabilityChart({ points, correctOption }: { points: BeliefPoint[]; correctOption: string }) {
  const data = points.map((p) => ({ label: p.label, correct: Math.round(p.correct * 1000) / 10 }));
  return (
    <figure className="results-figure belief-chart" data-testid="belief-chart">
      <figcaption>Probability the judge put on the correct answer (“{correctOption}”), round by round</figcaption>
      <LineChart
        responsive
        style={{ width: "100%", maxWidth: 520, aspectRatio: 2 }}
        margin={{ top: 10, right: 16, bottom: 10, left: 0 }}
        data={data}
        title="The judge's probability on the correct answer over rounds"
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis domain={[0, 100]} unit="%" width={48} ticks={[0, 25, 50, 75, 100]} />
        <ReferenceLine y={50} stroke="#6b6b72" strokeDasharray="4 4" />
        <Tooltip formatter={(value) => `${Number(value).toFixed(1)}%`} />
        <Line
          type="linear"
          dataKey="correct"
          name="Correct answer"
          stroke="#3b5bdb"
          strokeWidth={2}
          isAnimationActive={false}
          dot
        />
      </LineChart>
    </figure>
  );
}
