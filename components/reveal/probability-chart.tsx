"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { PathPoint } from "@/lib/debate/reveal";

/**
 * The judge's probability on the correct answer after each round, from the even split before the first: a small
 * line chart (recharts, loaded only with the reveal), its numbers also in words for screen readers.
 */
export default function ProbabilityChart({ path, description }: { path: PathPoint[]; description: string }) {
  const data = path.map((p) => ({ round: p.round, percent: Math.round(p.pCorrect * 1000) / 10 }));
  return (
    <LineChart
      responsive
      style={{ width: "100%", maxWidth: 420, aspectRatio: 1.8 }}
      data={data}
      margin={{ top: 10, right: 16, bottom: 4, left: 0 }}
      title="Your probability on the correct answer, round by round"
      desc={description}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        dataKey="round"
        type="number"
        domain={[0, "dataMax"]}
        allowDecimals={false}
        tickFormatter={(r: number) => (r === 0 ? "start" : `R${r}`)}
      />
      <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" width={48} />
      <ReferenceLine y={50} stroke="#6b6b72" strokeDasharray="4 4" />
      <Tooltip
        formatter={(value) => [`${value}%`, "On the correct answer"]}
        labelFormatter={(r) => (r === 0 ? "Before the debate" : `After round ${r}`)}
      />
      <Line dataKey="percent" stroke="#3b5bdb" strokeWidth={2} isAnimationActive={false} dot={{ r: 4 }} />
    </LineChart>
  );
}
