"use client";

import { CheckboxField, TextField } from "./fields";
import type { SectionProps } from "./study-section";

/**
 * Who may arrive (only with a Prolific id, if asked), where participants go at the end, the codes they are given,
 * and when a silent one counts as gone.
 */
export function CompletionSection({ draft, update, errorsAt }: SectionProps) {
  return (
    <fieldset className="study-fieldset">
      <legend>Completion</legend>
      <CheckboxField
        label="Require a Prolific id"
        checked={draft.requireProlificId}
        onChange={(requireProlificId) => update({ requireProlificId })}
        hint="Study links without PROLIFIC_PID are refused, so only people sent by Prolific can take part."
      />
      <TextField
        label="Redirect URL (optional)"
        type="url"
        value={draft.redirectUrl}
        onChange={(redirectUrl) => update({ redirectUrl })}
        hint="E.g. https://app.prolific.com/submissions/complete — the code is added as ?cc=CODE, or replaces {code}."
        errors={errorsAt(["completion", "redirectUrl"])}
      />
      <div className="field-row">
        <TextField
          label="Completed code"
          value={draft.codeCompleted}
          onChange={(codeCompleted) => update({ codeCompleted })}
          errors={errorsAt(["completion", "codes", "completed"])}
        />
        <TextField
          label="Failed-check code"
          value={draft.codeFailedCheck}
          onChange={(codeFailedCheck) => update({ codeFailedCheck })}
          errors={errorsAt(["completion", "codes", "failedCheck"])}
        />
        <TextField
          label="Removed code"
          value={draft.codeRemoved}
          onChange={(codeRemoved) => update({ codeRemoved })}
          errors={errorsAt(["completion", "codes", "removed"])}
        />
        <TextField
          label="Screened-out code"
          value={draft.codeScreenedOut}
          onChange={(codeScreenedOut) => update({ codeScreenedOut })}
          errors={errorsAt(["completion", "codes", "screenedOut"])}
        />
      </div>
      <TextField
        label="Dropout after (minutes without a sign of life)"
        value={draft.dropoutMinutes}
        inputMode="numeric"
        onChange={(dropoutMinutes) => update({ dropoutMinutes })}
        errors={errorsAt(["dropoutMinutes"])}
      />
    </fieldset>
  );
}
