"use client";

import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import type { ReliabilityBin } from "@/lib/analysis/calibration";

/** The non-empty bins of a reliability diagram. */
export function filledBins(bins: readonly ReliabilityBin[]): ReliabilityBin[] {
  return bins.filter((b) => b.count > 0 && b.meanConfidence !== null && b.accuracy !== null);
}

/**
 * A reliability diagram drawn as a scatter: accuracy against mean confidence per bin, from 40% (where a 50/50
 * verdict lands), dot size = `countName` (judgments, games); on the dashed diagonal is perfectly calibrated.
 */
export function ReliabilityScatter({
  bins,
  colour,
  title,
  description,
  countName,
}: {
  bins: readonly ReliabilityBin[];
  colour: string;
  title: string;
  description: string;
  countName: string;
}) {
  const data = filledBins(bins).map((b) => ({
    confidence: (b.meanConfidence ?? 0) * 100,
    accuracy: (b.accuracy ?? 0) * 100,
    count: b.count,
  }));
  return (
    <ScatterChart
      responsive
      style={{ width: "100%", maxWidth: 360, aspectRatio: 1 }}
      margin={{ top: 10, right: 10, bottom: 10, left: 0 }}
      title={title}
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
      <ZAxis type="number" dataKey="count" range={[30, 300]} name={countName} />
      <ReferenceLine
        segment={[
          { x: 40, y: 40 },
          { x: 100, y: 100 },
        ]}
        stroke="#6b6b72"
        strokeDasharray="4 4"
        ifOverflow="hidden"
      />
      <Tooltip formatter={(value, name) => (name === countName ? value : `${Number(value).toFixed(1)}%`)} />
      <Scatter data={data} fill={colour} line isAnimationActive={false} name={title} />
    </ScatterChart>
  );
}
