"use client";

import { QUALIFICATION_RULES, type QualificationRule } from "@/lib/studies/vocabulary";
import { SelectField, TextField } from "./fields";
import type { SectionProps } from "./study-section";

const RULE_LABELS: Record<QualificationRule, string> = {
  accuracy: "Share answered correctly (0–1)",
  meanScore: "Mean score (the condition's scoring rule)",
};

/**
 * Judge screening: qualification matches on questions with known answers before the study's matches, and the rule
 * a participant must meet to go on (otherwise they leave with the screened-out code and are not analysed).
 */
export function QualificationSection({ draft, update, errorsAt }: SectionProps) {
  const on = draft.qualificationMatches.trim() !== "" && draft.qualificationMatches.trim() !== "0";
  const humanConditions = draft.conditions.filter((c) => c.judge.trim() === "" || c.judge.trim() === "human");
  return (
    <fieldset className="study-fieldset">
      <legend>Qualification (judge screening)</legend>
      <TextField
        label="Qualification matches"
        value={draft.qualificationMatches}
        inputMode="numeric"
        onChange={(qualificationMatches) => update({ qualificationMatches })}
        hint="0 = no screening. Questions outside the pool, never analysed; they come after the practice match."
        errors={errorsAt(["qualification", "matches"])}
      />
      {on && (
        <div className="field-row">
          <SelectField
            label="Condition"
            value={draft.qualificationCondition}
            onChange={(qualificationCondition) => update({ qualificationCondition })}
            options={[
              { value: "", label: "The first with a human judge" },
              ...humanConditions.map((c) => ({ value: c.name, label: c.name || "(unnamed condition)" })),
            ]}
            errors={errorsAt(["qualification", "condition"])}
          />
          <SelectField
            label="Pass rule"
            value={draft.qualificationRule}
            onChange={(qualificationRule) => update({ qualificationRule })}
            options={QUALIFICATION_RULES.map((rule) => ({ value: rule, label: RULE_LABELS[rule] }))}
            errors={errorsAt(["qualification", "rule"])}
          />
          <TextField
            label="Pass at least"
            value={draft.qualificationThreshold}
            inputMode="decimal"
            onChange={(qualificationThreshold) => update({ qualificationThreshold })}
            hint={draft.qualificationRule === "accuracy" ? "E.g. 0.5: half of them right." : "E.g. -0.3."}
            errors={errorsAt(["qualification", "threshold"])}
          />
        </div>
      )}
    </fieldset>
  );
}
