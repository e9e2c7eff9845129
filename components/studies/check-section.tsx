"use client";

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
      <TextField
        label="Correct option (0 = first)"
        value={question.answer}
        inputMode="numeric"
        onChange={(answer) => onChange({ answer })}
        errors={errorsAt(["comprehensionCheck", "questions", index, "answer"])}
      />
      {onRemove && <RemoveButton label={`Remove check question ${index + 1}`} onClick={onRemove} />}
    </fieldset>
  );
}
