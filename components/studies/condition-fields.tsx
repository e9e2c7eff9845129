"use client";

import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { PROTOCOLS, SCORING_RULE_LABELS, SCORING_RULES } from "@/lib/debate/vocabulary";
import type { StudyConfigPath } from "@/lib/studies/config-paths";
import { SelectField, TextField } from "./fields";
import { RemoveButton } from "./item-list";
import type { ConditionDraft } from "./study-draft";

const PROTOCOL_OPTIONS = PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] }));
const RULE_OPTIONS = SCORING_RULES.map((r) => ({ value: r, label: SCORING_RULE_LABELS[r] }));

/** One condition of the design: protocol and its settings, debaters, judge. */
export function ConditionFields({
  index,
  condition,
  specsId,
  errorsAt,
  onChange,
  onRemove,
}: {
  index: number;
  condition: ConditionDraft;
  specsId: string;
  errorsAt: (path: StudyConfigPath) => string[];
  onChange: (patch: Partial<ConditionDraft>) => void;
  onRemove?: () => void;
}) {
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
        list={specsId}
        onChange={(debaters) => onChange({ debaters })}
        hint="One model spec for every seat, or two separated by a comma (seat A, seat B)."
        errors={errorsAt(["conditions", index, "debaters"])}
      />
      <div className="field-row">
        <TextField
          label="Judge"
          value={condition.judge}
          list={specsId}
          onChange={(judge) => onChange({ judge })}
          hint={'"human" (participants judge) or an AI judge\'s spec.'}
          errors={errorsAt(["conditions", index, "judge"])}
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
