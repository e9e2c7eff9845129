"use client";

import { type FormEvent, startTransition, useActionState, useState } from "react";
import YAML from "yaml";
import { messagesAt, type StudyConfigPath } from "@/lib/studies/config-paths";
import { configFromDraft, draftFromConfig, emptyDraft } from "./draft-config";
import type { StudyDraft, StudyFormState } from "./study-draft";

/** The create or update server action behind the form. */
export type StudyAction = (previous: StudyFormState, input: unknown) => Promise<StudyFormState>;

/**
 * The design form's state: the draft, the YAML/JSON text when editing as text, and the answer to the last attempt.
 * Everything typed lives here, so a refused submission loses nothing. An attempt refused before it reaches the
 * server (text that is not YAML) hides the server's answer to an earlier one, so no message outlives its attempt.
 */
export function useStudyForm(action: StudyAction, initial: unknown) {
  const [state, dispatch, pending] = useActionState(action, {});
  const [draft, setDraft] = useState<StudyDraft>(() => (initial ? draftFromConfig(initial) : emptyDraft()));
  const [mode, setMode] = useState<"form" | "yaml">("form");
  const [yamlText, setYamlText] = useState("");
  const [yamlError, setYamlError] = useState<string | null>(null);
  const [refusedHere, setRefusedHere] = useState(false);

  const result: StudyFormState = refusedHere ? {} : state;
  const issues = result.issues ?? [];

  function parseYaml(): unknown | undefined {
    try {
      setYamlError(null);
      return YAML.parse(yamlText);
    } catch (error) {
      setYamlError(`Not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  return {
    draft,
    update: (patch: Partial<StudyDraft>) => setDraft((d) => ({ ...d, ...patch })),
    mode,
    yamlText,
    setYamlText,
    yamlError,
    pending,
    result,
    errorsAt: (path: StudyConfigPath) => messagesAt(issues, path),
    /** Form → text always works; text → form only when the text parses. */
    switchMode() {
      if (mode === "form") {
        setYamlText(YAML.stringify(configFromDraft(draft)));
        setYamlError(null);
        setMode("yaml");
        return;
      }
      const parsed = parseYaml();
      if (parsed === undefined) return;
      setDraft(draftFromConfig(parsed));
      setMode("form");
    },
    submit(event: FormEvent<HTMLFormElement>) {
      event.preventDefault();
      const document = mode === "form" ? configFromDraft(draft) : parseYaml();
      setRefusedHere(document === undefined);
      if (document === undefined) return;
      startTransition(() => dispatch(document));
    },
  };
}
