"use client";

import { participantsNeeded } from "./draft-config";
import { TextField } from "./fields";
import type { SectionProps } from "./study-section";

/** How many judgments the study collects, and the participants that takes. */
export function QuotaSection({ draft, update, errorsAt }: SectionProps) {
  const needed = participantsNeeded(draft);
  return (
    <fieldset className="study-fieldset">
      <legend>Quota</legend>
      <div className="field-row">
        <TextField
          label="Judgments per question and condition"
          value={draft.judgmentsPerQuestion}
          inputMode="numeric"
          onChange={(judgmentsPerQuestion) => update({ judgmentsPerQuestion })}
          errors={errorsAt(["judgmentsPerQuestion"])}
        />
        <TextField
          label="Matches per participant"
          value={draft.questionsPerJudge}
          inputMode="numeric"
          onChange={(questionsPerJudge) => update({ questionsPerJudge })}
          errors={errorsAt(["questionsPerJudge"])}
        />
      </div>
      <p data-testid="participants-needed" aria-live="polite">
        Participants needed ≈ <strong>{needed ?? "?"}</strong>{" "}
        <span className="muted">
          (questions × conditions × judgments ÷ matches per participant; a recorded condition counts its debates)
        </span>
      </p>
    </fieldset>
  );
}
