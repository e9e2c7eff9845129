"use client";

import { useId } from "react";
import type { StudyConfigPath } from "@/lib/studies/config-paths";
import { CheckboxField, TextArea, TextField } from "./fields";
import { ItemList, RemoveButton } from "./item-list";
import { type CheckDraft, newCheckQuestion } from "./study-draft";
import type { SectionProps } from "./study-section";

/** The comprehension check participants pass before judging, and the practice match. */
export function CheckSection({ draft, update, errorsAt }: SectionProps) {
  return (
    <fieldset className="study-fieldset">
      <legend>Comprehension check</legend>
      <ItemList
        items={draft.check}
        onChange={(check) => update({ check })}
        create={newCheckQuestion}
        addLabel="Add check question"
        renderItem={(question, { index, onChange, onRemove }) => (
          <CheckFields index={index} question={question} errorsAt={errorsAt} onChange={onChange} onRemove={onRemove} />
        )}
      />
      <TextField
        label="Attempts allowed"
        value={draft.checkAttempts}
        inputMode="numeric"
        onChange={(checkAttempts) => update({ checkAttempts })}
        errors={errorsAt(["comprehensionCheck", "attempts"])}
      />
      <CheckboxField
        label="Practice match first"
        checked={draft.practice}
        onChange={(practice) => update({ practice })}
        hint="A match of the first condition on a question outside the pool; never analysed."
      />
    </fieldset>
  );
}

function CheckFields({
  index,
  question,
  errorsAt,
  onChange,
  onRemove,
}: {
  index: number;
  question: CheckDraft;
  errorsAt: (path: StudyConfigPath) => string[];
  onChange: (patch: Partial<CheckDraft>) => void;
  onRemove?: () => void;
}) {
  return (
    <fieldset className="study-fieldset">
      <legend>Check question {index + 1}</legend>
      <TextField
        label="Question"
        value={question.question}
        onChange={(value) => onChange({ question: value })}
        errors={errorsAt(["comprehensionCheck", "questions", index, "question"])}
      />
      <TextArea
        label="Options (one per line)"
        value={question.options}
        onChange={(options) => onChange({ options })}
        errors={errorsAt(["comprehensionCheck", "questions", index, "options"])}
        rows={3}
      />
      <CorrectOption
        question={question}
        onChange={(answer) => onChange({ answer })}
        errors={errorsAt(["comprehensionCheck", "questions", index, "answer"])}
      />
      {onRemove && <RemoveButton label={`Remove check question ${index + 1}`} onClick={onRemove} />}
    </fieldset>
  );
}

/**
 * The correct answer, chosen by clicking it: a radio button per option typed above (arrow keys move between them,
 * as in any radio group). The design stores the option's index.
 */
function CorrectOption({
  question,
  onChange,
  errors,
}: {
  question: CheckDraft;
  onChange: (answer: string) => void;
  errors: readonly string[];
}) {
  const id = useId();
  const options = question.options
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((text, position) => ({ text, position, key: `${position}:${text}` }));
  return (
    <fieldset
      className="study-fieldset correct-option"
      aria-invalid={errors.length ? true : undefined}
      aria-describedby={errors.length ? `${id}-error` : undefined}
    >
      <legend>Correct answer</legend>
      {options.length === 0 ? (
        <p className="hint">Type the options above, then click the correct one here.</p>
      ) : (
        options.map((option) => (
          <label key={option.key} className="check-row">
            <input
              type="radio"
              name={`${id}-answer`}
              value={option.position}
              checked={question.answer === String(option.position)}
              onChange={() => onChange(String(option.position))}
            />{" "}
            {option.text}
          </label>
        ))
      )}
      {errors.length ? (
        <p id={`${id}-error`} className="error">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
