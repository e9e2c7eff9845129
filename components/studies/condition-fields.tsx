"use client";

import { useState } from "react";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import {
  PROTOCOLS,
  RECORDED_MODES,
  RECORDED_SOURCE_PROTOCOLS,
  SCORING_RULE_LABELS,
  SCORING_RULES,
} from "@/lib/debate/vocabulary-lists";
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

const PROTOCOL_OPTIONS = PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] }));
const SOURCE_PROTOCOL_OPTIONS = [
  { value: "", label: "Any" },
  ...RECORDED_SOURCE_PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] })),
];
const MODE_LABELS: Record<(typeof RECORDED_MODES)[number], string> = {
  stepped: "Stepped: round by round, the judge may stop early",
  timed: "Timed: every round, then one verdict",
};
const MODE_OPTIONS = RECORDED_MODES.map((m) => ({ value: m, label: MODE_LABELS[m] }));
const RULE_OPTIONS = SCORING_RULES.map((r) => ({ value: r, label: SCORING_RULE_LABELS[r] }));

/** A recorded condition's source of debates and how they are shown. */
function RecordedSourceFields({
  index,
  condition,
  errorsAt,
  onChange,
}: {
  index: number;
  condition: ConditionDraft;
  errorsAt: (path: StudyConfigPath) => string[];
  onChange: (patch: Partial<ConditionDraft>) => void;
}) {
  const at = (field: "study" | "condition" | "protocol" | "tags" | "count" | "seed") =>
    errorsAt(["conditions", index, "source", field]);
  return (
    <>
      <div className="field-row">
        <TextField
          label="Source study or dataset"
          value={condition.sourceStudy}
          onChange={(sourceStudy) => onChange({ sourceStudy })}
          hint='The name or id of an imported dataset (e.g. "nyu-2023") or of a Crux study whose debates are replayed.'
          errors={[...at("study"), ...errorsAt(["conditions", index, "source"])]}
        />
        <SelectField
          label="Mode"
          value={condition.mode}
          onChange={(mode) => onChange({ mode })}
          options={MODE_OPTIONS}
          errors={errorsAt(["conditions", index, "mode"])}
        />
      </div>
      <div className="field-row">
        <TextField
          label="Source condition (optional)"
          value={condition.sourceCondition}
          onChange={(sourceCondition) => onChange({ sourceCondition })}
          errors={at("condition")}
        />
        <SelectField
          label="Source protocol"
          value={condition.sourceProtocol}
          onChange={(sourceProtocol) => onChange({ sourceProtocol })}
          options={SOURCE_PROTOCOL_OPTIONS}
          errors={at("protocol")}
        />
        <TextField
          label="Source tags (optional)"
          value={condition.sourceTags}
          onChange={(sourceTags) => onChange({ sourceTags })}
          hint="Comma-separated; a debate must carry every one (e.g. live-judge, in-paper)."
          errors={at("tags")}
        />
      </div>
      <div className="field-row">
        <TextField
          label="Debates to draw (optional)"
          value={condition.sourceCount}
          inputMode="numeric"
          onChange={(sourceCount) => onChange({ sourceCount })}
          hint="Empty: every matching debate (one per question)."
          errors={at("count")}
        />
        <TextField
          label="Seed of the draw"
          value={condition.sourceSeed}
          inputMode="numeric"
          onChange={(sourceSeed) => onChange({ sourceSeed })}
          errors={at("seed")}
        />
      </div>
    </>
  );
}

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
      {condition.protocol === "recorded" ? (
        <RecordedSourceFields index={index} condition={condition} errorsAt={errorsAt} onChange={onChange} />
      ) : (
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
      )}
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
      {condition.protocol !== "recorded" && (
        <TextField
          label="Debaters"
          value={condition.debaters}
          list={lists.debaters}
          onChange={(debaters) => onChange({ debaters })}
          hint="Choose from the list, or type a spec (provider:model). One for every seat, or two separated by a comma (seat A, seat B)."
          onBlur={() => setLeft((l) => ({ ...l, debaters: true }))}
          errors={
            (left.debaters && specProblems(condition.debaters, "debater")) ||
            errorsAt(["conditions", index, "debaters"])
          }
        />
      )}
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
