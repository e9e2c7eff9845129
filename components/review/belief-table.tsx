import { percent } from "@/components/results/format";
import type { MatchView } from "@/lib/debate/view";
import type { JudgeStepDetail } from "@/lib/transcripts/review";
import { elapsed } from "./elapsed";
import { type BeliefPoint, ProbabilityChart } from "./probability-chart";

/** The judge's probabilities after each step (and the verdict when it adds a point), in order. */
export function beliefRows(
  view: MatchView,
): { label: string; round: number; step: boolean; probabilities: number[] }[] {
  const rows = view.judgeSteps.map((s) => ({
    label: s.round === 0 ? "start" : `round ${s.round}`,
    round: s.round,
    step: true,
    probabilities: s.probabilities,
  }));
  const verdict = view.reveal?.verdict;
  const last = rows.at(-1);
  if (verdict && (!last || last.probabilities.some((p, i) => p !== verdict.probabilities[i])))
    rows.push({ label: "verdict", round: verdict.rounds, step: false, probabilities: verdict.probabilities });
  return rows;
}

/** The judge's belief: a line over rounds (probability on the correct answer) and the table of every step. */
export function BeliefSection({ view, steps }: { view: MatchView; steps: JudgeStepDetail[] }) {
  const rows = beliefRows(view);
  if (rows.length === 0) return null;
  const gold = view.reveal?.gold ?? 0;
  const options = view.question.options;
  const points: BeliefPoint[] = rows.map((r) => ({ label: r.label, correct: r.probabilities[gold] ?? 0 }));
  return (
    <section className="belief" aria-labelledby="belief-heading">
      <h2 id="belief-heading">The judge's belief, round by round</h2>
      <ProbabilityChart points={points} correctOption={options[gold] ?? ""} />
      <table className="users-table belief-table" data-testid="belief-table">
        <thead>
          <tr>
            <th scope="col">After</th>
            {options.map((option, i) => (
              <th key={option} scope="col">
                “{option}”{i === gold ? " ✓" : ""}
              </th>
            ))}
            <th scope="col">Time taken</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} data-testid="belief-row" data-round={row.round} data-correct={row.probabilities[gold]}>
              <th scope="row">{row.label}</th>
              {row.probabilities.map((p, i) => (
                <td key={options[i]}>{percent(p, 1)}</td>
              ))}
              <td>{row.step ? elapsed(steps.find((s) => s.round === row.round)?.tookMs) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
