"use client";

import { useState } from "react";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { LIVE_PROTOCOLS, SCORING_RULE_LABELS, SCORING_RULES } from "@/lib/debate/vocabulary-lists";
import { type ModelKind, modelSpecProblem } from "@/lib/models/spec";
import type { StudyConfigPath } from "@/lib/studies/config-paths";
import { SelectField, TextField } from "./fields";
import { RemoveButton } from "./item-list";
import type { ConditionDraft } from "./study-draft";

/**
 * A typed spec's problems as the researcher types (the check that holds on any server, lib/models/spec.ts), or
 * null when there are none and the server's answer to the last attempt stands.
 */
function specProblems(value: string, kind: ModelKind): string[] | null {
  const specs = value.split(",").map((spec) => spec.trim());
  if (value.trim() === "") return null;
  const problems = specs.flatMap((spec) => modelSpecProblem(spec, kind) ?? []);
  return problems.length ? problems : null;
}

const PROTOCOL_OPTIONS = LIVE_PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] }));
const RULE_OPTIONS = SCORING_RULES.map((r) => ({ value: r, label: SCORING_RULE_LABELS[r] }));

/** One condition of the design: protocol and its settings, debaters, judge. */
export function ConditionFields({
  index,
  condition,
  lists,
  errorsAt,
  onChange,
  onRemove,
}: {
  index: number;
  condition: ConditionDraft;
  /** The datalists of the models offered for debaters and judges. */
  lists: { debaters: string; judges: string };
  errorsAt: (path: StudyConfigPath) => string[];
  onChange: (patch: Partial<ConditionDraft>) => void;
  onRemove?: () => void;
}) {
  // A spec is checked once the researcher leaves its field (and as they correct it), not at every keystroke.
  const [left, setLeft] = useState({ debaters: false, judge: false });
  return (
    <fieldset className="study-fieldset condition-fieldset">
      <legend>{`Condition ${index + 1}`}</legend>
      <div className="field-row">
        <TextField
          label="Name"
          value={condition.name}
          onChange={(name) => onChange({ name })}
          errors={errorsAt(["conditions", index, "name"])}
        />
        <SelectField
          label="Protocol"
          value={condition.protocol}
          onChange={(protocol) => onChange({ protocol })}
          options={PROTOCOL_OPTIONS}
          errors={errorsAt(["conditions", index, "protocol"])}
        />
      </div>
      <div className="field-row">
        <TextField
          label="Rounds"
          value={condition.rounds}
          inputMode="numeric"
          onChange={(rounds) => onChange({ rounds })}
          errors={errorsAt(["conditions", index, "rounds"])}
        />
        <TextField
          label="Word limit"
          value={condition.wordLimit}
          inputMode="numeric"
          onChange={(wordLimit) => onChange({ wordLimit })}
          errors={errorsAt(["conditions", index, "wordLimit"])}
        />
      </div>
      <div className="field-row">
        <SelectField
          label="Scoring rule"
          value={condition.scoringRule}
          onChange={(scoringRule) => onChange({ scoringRule })}
          options={RULE_OPTIONS}
          hint="How judges are scored (and paid): 1 for 100% on the correct answer, 0 for 50–50."
          errors={errorsAt(["conditions", index, "scoring", "rule"])}
        />
        <TextField
          label="Round cost"
          value={condition.roundCost}
          inputMode="decimal"
          onChange={(roundCost) => onChange({ roundCost })}
          hint="Points taken off for every round after the first."
          errors={errorsAt(["conditions", index, "scoring", "roundCost"])}
        />
      </div>
      <TextField
        label="Debaters"
        value={condition.debaters}
        list={lists.debaters}
        onChange={(debaters) => onChange({ debaters })}
        hint="Choose from the list, or type a spec (provider:model). One for every seat, or two separated by a comma (seat A, seat B)."
        onBlur={() => setLeft((l) => ({ ...l, debaters: true }))}
        errors={
          (left.debaters && specProblems(condition.debaters, "debater")) || errorsAt(["conditions", index, "debaters"])
        }
      />
      <div className="field-row">
        <TextField
          label="Judge"
          value={condition.judge}
          list={lists.judges}
          onChange={(judge) => onChange({ judge })}
          hint={'"human" (participants judge) or an AI judge from the list, or any judge spec.'}
          onBlur={() => setLeft((l) => ({ ...l, judge: true }))}
          errors={
            (left.judge && condition.judge.trim() !== "human" && specProblems(condition.judge, "judge")) ||
            errorsAt(["conditions", index, "judge"])
          }
        />
        <TextField
          label="Judge time limit per step (seconds, optional)"
          value={condition.judgeTimeLimitSeconds}
          inputMode="numeric"
          onChange={(judgeTimeLimitSeconds) => onChange({ judgeTimeLimitSeconds })}
          errors={errorsAt(["conditions", index, "judgeTimeLimitSeconds"])}
        />
      </div>
      {onRemove && <RemoveButton label={`Remove condition ${index + 1}`} onClick={onRemove} />}
    </fieldset>
  );
}
