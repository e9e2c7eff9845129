"use client";

import { draftDefaultInstructions } from "./draft-config";
import { TextArea, TextField } from "./fields";
import type { SectionProps } from "./study-section";

/** The study's name and description, for researchers. */
export function AboutSection({ draft, update, errorsAt }: SectionProps) {
  return (
    <>
      <TextField
        label="Study name"
        value={draft.name}
        onChange={(name) => update({ name })}
        errors={errorsAt(["name"])}
      />
      <TextArea
        label="Description"
        value={draft.description}
        onChange={(description) => update({ description })}
        errors={errorsAt(["description"])}
        rows={2}
      />
    </>
  );
}

/** The consent form and instructions participants read before judging. */
export function ReadingSection({ draft, update, errorsAt }: SectionProps) {
  return (
    <fieldset className="study-fieldset">
      <legend>What participants read</legend>
      <TextArea
        label="Consent"
        value={draft.consent}
        onChange={(consent) => update({ consent })}
        errors={errorsAt(["consent"])}
      />
      <TextArea
        label="Instructions"
        value={draft.instructionsEdited ? draft.instructions : draftDefaultInstructions(draft.conditions)}
        onChange={(instructions) => update({ instructions, instructionsEdited: true })}
        hint={
          draft.instructionsEdited
            ? "Your own text."
            : "The default for the conditions' protocols; it follows them until you edit it."
        }
        errors={errorsAt(["instructions"])}
        rows={6}
      />
      {draft.instructionsEdited && (
        <p>
          <button
            type="button"
            className="button small"
            onClick={() => update({ instructions: "", instructionsEdited: false })}
          >
            Use the default instructions for these protocols
          </button>
        </p>
      )}
    </fieldset>
  );
}
