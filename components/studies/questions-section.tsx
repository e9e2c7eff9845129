"use client";

import { SelectField, TextArea, TextField } from "./fields";
import type { SectionProps } from "./study-section";

/** Which questions the study uses: the set (those in the database, and the design's own if it is not), how many, the seed, tags or listed ids. */
export function QuestionsSection({
  draft,
  update,
  errorsAt,
  sources,
}: SectionProps & { sources: ReadonlyArray<{ name: string; count: number }> }) {
  const sourceOptions = [
    ...sources.map((s) => ({ value: s.name, label: `${s.name} (${s.count} questions)` })),
    ...(sources.some((s) => s.name === draft.source) ? [] : [{ value: draft.source, label: draft.source }]),
  ];
  return (
    <fieldset className="study-fieldset">
      <legend>Questions</legend>
      <SelectField
        label="Question set"
        value={draft.source}
        onChange={(source) => update({ source })}
        options={sourceOptions}
        errors={errorsAt(["questions", "source"])}
      />
      <div className="field-row">
        <TextField
          label="Number of questions"
          value={draft.count}
          inputMode="numeric"
          onChange={(count) => update({ count })}
          errors={errorsAt(["questions", "count"])}
        />
        <TextField
          label="Seed"
          value={draft.seed}
          inputMode="numeric"
          onChange={(seed) => update({ seed })}
          errors={errorsAt(["questions", "seed"])}
        />
      </div>
      <TextField
        label="Tags (comma-separated)"
        value={draft.tags}
        onChange={(tags) => update({ tags })}
        hint="Keep only questions with every one of these tags."
        errors={errorsAt(["questions", "tags"])}
      />
      <TextArea
        label="Uploaded set: question ids, one per line (optional)"
        value={draft.ids}
        onChange={(ids) => update({ ids })}
        hint="When given, exactly these questions of the set are used, in this order; number and seed are ignored."
        errors={errorsAt(["questions", "ids"])}
        rows={3}
      />
    </fieldset>
  );
}
