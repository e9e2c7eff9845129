"use client";

import type { ReliabilityBin } from "@/lib/analysis/calibration";
import { percent } from "../results/format";
import { filledBins, ReliabilityScatter } from "../results/reliability-scatter";

/**
 * The player's calibration: for each confidence bin of the answers they chose, how often they were right (on the
 * dashed diagonal is perfectly calibrated; dot size = games), with the numbers in words for screen readers.
 */
export function CalibrationChart({ bins }: { bins: ReliabilityBin[] }) {
  const description = filledBins(bins)
    .map((b) => `confidence ${percent(b.meanConfidence, 0)}: right ${percent(b.accuracy, 0)} of ${b.count}`)
    .join("; ");
  return (
    <figure className="calibration-figure" data-testid="calibration-chart">
      <figcaption>
        How often you were right (up) against how sure you were (across). On the dashed line, your confidence matches
        your accuracy.
      </figcaption>
      <ReliabilityScatter
        bins={bins}
        colour="#3b5bdb"
        title="Your calibration"
        description={description}
        countName="Games"
      />
      <p className="visually-hidden">{description}</p>
    </figure>
  );
}
