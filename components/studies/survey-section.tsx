"use client";

import { SURVEY_KINDS, type SurveyKind } from "@/lib/studies/config";
import type { StudyConfigPath } from "@/lib/studies/config-paths";
import { surveyIdFrom } from "@/lib/studies/survey-ids";
import { CheckboxField, SelectField, TextArea, TextField } from "./fields";
import { ItemList, RemoveButton } from "./item-list";
import { newSurveyQuestion, type SurveyDraft } from "./study-draft";
import type { SectionProps } from "./study-section";

const SURVEY_KIND_LABELS: Record<SurveyKind, string> = {
  text: "Free text",
  scale: "Scale 1–7",
  choice: "One of the options",
};
const SURVEY_KIND_OPTIONS = SURVEY_KINDS.map((kind) => ({ value: kind, label: SURVEY_KIND_LABELS[kind] }));

/** The questions participants answer at the end. */
export function SurveySection({ draft, update, errorsAt }: SectionProps) {
  return (
    <fieldset className="study-fieldset">
      <legend>Survey</legend>
      <ItemList
        items={draft.survey}
        onChange={(survey) => update({ survey })}
        create={newSurveyQuestion}
        addLabel="Add survey question"
        renderItem={(question, { index, onChange, onRemove }) => (
          <SurveyFields
            index={index}
            question={question}
            otherIds={draft.survey.filter((other) => other.key !== question.key).map((other) => other.id)}
            errorsAt={errorsAt}
            onChange={onChange}
            onRemove={onRemove}
          />
        )}
      />
    </fieldset>
  );
}

function SurveyFields({
  index,
  question,
  otherIds,
  errorsAt,
  onChange,
  onRemove,
}: {
  index: number;
  question: SurveyDraft;
  /** The other questions' ids, which a generated id must differ from. */
  otherIds: readonly string[];
  errorsAt: (path: StudyConfigPath) => string[];
  onChange: (patch: Partial<SurveyDraft>) => void;
  onRemove?: () => void;
}) {
  return (
    <fieldset className="study-fieldset">
      <legend>Survey question {index + 1}</legend>
      <TextField
        label="Prompt"
        value={question.prompt}
        onChange={(prompt) =>
          onChange(question.idEdited ? { prompt } : { prompt, id: prompt.trim() ? surveyIdFrom(prompt, otherIds) : "" })
        }
        errors={errorsAt(["survey", index, "prompt"])}
      />
      <div className="field-row">
        <TextField
          label="Id"
          value={question.id}
          onChange={(id) => onChange({ id, idEdited: id.trim() !== "" })}
          hint="Identifies the answers in the export; made from the prompt unless you change it."
          errors={errorsAt(["survey", index, "id"])}
        />
        <SelectField
          label="Kind"
          value={question.kind}
          onChange={(kind) => onChange({ kind })}
          options={SURVEY_KIND_OPTIONS}
          errors={errorsAt(["survey", index, "kind"])}
        />
      </div>
      {question.kind === "choice" && (
        <TextArea
          label="Options (one per line)"
          value={question.options}
          onChange={(options) => onChange({ options })}
          errors={errorsAt(["survey", index, "options"])}
          rows={3}
        />
      )}
      <CheckboxField label="Required" checked={question.required} onChange={(required) => onChange({ required })} />
      {onRemove && <RemoveButton label={`Remove survey question ${index + 1}`} onClick={onRemove} />}
    </fieldset>
  );
}
