"use client";

import dynamic from "next/dynamic";
import type { PathPoint } from "@/lib/debate/reveal";

// recharts is large: loaded only once a reveal is on screen, so the judge page's first load stays light.
const ProbabilityChart = dynamic(() => import("./probability-chart"), {
  ssr: false,
  loading: () => <p className="muted">Drawing the chart…</p>,
});

function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** The judge's own reasoning: their probability on the correct answer round by round, and their explanation. */
export function Judgement({
  path,
  explanation,
  decisive,
}: {
  path: PathPoint[];
  explanation: string | null;
  decisive: { round: number; change: number } | null;
}) {
  const description = path
    .map((p) => `${p.round === 0 ? "Before the debate" : `after round ${p.round}`}: ${percent(p.pCorrect)}`)
    .join("; ");
  return (
    <section className="reveal-judgement" aria-labelledby="reveal-judgement-heading">
      <h2 id="reveal-judgement-heading">Your judgement</h2>
      <figure className="probability-figure" data-testid="probability-chart">
        <figcaption>
          Your probability on the correct answer: {percent(path.at(-1)?.pCorrect ?? 0.5)} at the end.
          {decisive &&
            ` Round ${decisive.round} moved you most (${decisive.change > 0 ? "+" : "−"}${Math.round(
              Math.abs(decisive.change) * 100,
            )} points ${decisive.change > 0 ? "toward" : "away from"} the correct answer).`}
        </figcaption>
        <ProbabilityChart path={path} description={description} />
        <p className="visually-hidden">{description}</p>
      </figure>
      <h3>Your explanation</h3>
      {explanation ? (
        <blockquote className="explanation" data-testid="explanation">
          {explanation}
        </blockquote>
      ) : (
        <p className="muted" data-testid="explanation">
          You gave no explanation.
        </p>
      )}
    </section>
  );
}
