"use client";

import { questionCountProblem } from "@/lib/studies/config-messages";
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
  const { hint, problem } = countCheck(draft, sources);
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
          hint={hint}
          errors={problem ? [problem] : errorsAt(["questions", "count"])}
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

/**
 * The number of questions against the chosen set, as the researcher types: how many the set has, and the problem
 * when more are asked for (the server checks again when the design is saved). With tags the set's size is an upper
 * bound, so only the hint is given; listed ids replace the number.
 */
function countCheck(
  draft: SectionProps["draft"],
  sources: ReadonlyArray<{ name: string; count: number }>,
): { hint?: string; problem?: string } {
  const set = sources.find((s) => s.name === draft.source);
  if (!set || draft.ids.trim()) return {};
  const tagged = draft.tags.trim() !== "";
  const hint = `This set has ${set.count} question${set.count === 1 ? "" : "s"}${tagged ? " (fewer carry the tags)" : ""}.`;
  const wanted = Number(draft.count.trim());
  if (tagged || !Number.isInteger(wanted)) return { hint };
  return { hint, problem: questionCountProblem({ source: set.name, available: set.count, wanted }) ?? undefined };
}
