import type { ConditionScores } from "@/lib/analysis/scores";
import { SCORING_RULE_LABELS, SCORING_RULES } from "@/lib/debate/vocabulary-lists";
import { decimal } from "./format";

/**
 * Every scoring rule for every condition, whichever one the condition pays (marked): the mean score with the round
 * cost, and its 95% t interval. One scale for all rules: 1 = all on the correct answer, 0 = 50–50.
 */
export function ScoresTable({ conditions }: { conditions: ConditionScores[] }) {
  return (
    <table className="studies-table results-table" data-testid="scores-table">
      <caption>
        Mean score (95% t interval) under each rule, round costs included; 1 = all on the correct answer, 0 = 50–50. The
        rule each condition pays by is marked “paid”.
      </caption>
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Round cost</th>
          {SCORING_RULES.map((rule) => (
            <th scope="col" key={rule}>
              {SCORING_RULE_LABELS[rule]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.condition}>
            <th scope="row">{c.condition}</th>
            <td>{decimal(c.roundCost, 2)}</td>
            {SCORING_RULES.map((rule) => {
              const { mean, ci } = c.scores[rule];
              return (
                <td key={rule}>
                  {`${decimal(mean)}${ci ? ` [${decimal(ci[0])}, ${decimal(ci[1])}]` : ""}`}
                  {c.paid === rule && <strong> (paid)</strong>}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
