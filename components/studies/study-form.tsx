"use client";

import { useId } from "react";
import { CheckSection } from "./check-section";
import { CompletionSection } from "./completion-section";
import { ConditionsSection } from "./conditions-section";
import { QualificationSection } from "./qualification-section";
import { QuestionsSection } from "./questions-section";
import { QuotaSection } from "./quota-section";
import { SurveySection } from "./survey-section";
import { AboutSection, ReadingSection } from "./texts-section";
import { type StudyAction, useStudyForm } from "./use-study-form";
import { YamlEditor } from "./yaml-editor";

/**
 * The study design form (new and edit). The server action validates the document with `studyConfigSchema` and
 * answers with its issues, shown next to the fields they name (paths typed from the schema, see
 * lib/studies/config-paths.ts) and listed at the top. "Edit as YAML/JSON" edits the same document as text.
 */
export function StudyForm({
  action,
  initial,
  sources,
  specs,
  submitLabel,
}: {
  action: StudyAction;
  /** The stored design when editing. */
  initial?: unknown;
  /** Question sets in the database, with their sizes. */
  sources: ReadonlyArray<{ name: string; count: number }>;
  /** Model specs to suggest for debaters and judges. */
  specs: readonly string[];
  submitLabel: string;
}) {
  const form = useStudyForm(action, initial);
  const { result } = form;
  const specsId = useId();
  const summaryId = useId();
  const section = { draft: form.draft, update: form.update, errorsAt: form.errorsAt };

  return (
    <form
      className="study-form"
      onSubmit={form.submit}
      noValidate
      aria-describedby={result.issues?.length ? summaryId : undefined}
    >
      {(result.summary?.length || result.error) && (
        <div id={summaryId} className="form-error" role="alert">
          <p>{result.error ?? "The design was not saved — please fix:"}</p>
          {result.summary?.length ? (
            <ul>
              {result.summary.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      <p>
        <button type="button" className="button small" onClick={form.switchMode}>
          {form.mode === "form" ? "Edit as YAML/JSON" : "Back to the form"}
        </button>
      </p>
      <datalist id={specsId}>
        {specs.map((spec) => (
          <option key={spec} value={spec} />
        ))}
      </datalist>

      {form.mode === "yaml" ? (
        <YamlEditor value={form.yamlText} onChange={form.setYamlText} error={form.yamlError} />
      ) : (
        <>
          <AboutSection {...section} />
          <QuestionsSection {...section} sources={sources} />
          <ConditionsSection {...section} specsId={specsId} />
          <QuotaSection {...section} />
          <ReadingSection {...section} />
          <CheckSection {...section} />
          <QualificationSection {...section} />
          <SurveySection {...section} />
          <CompletionSection {...section} />
        </>
      )}

      <p>
        <button type="submit" className="button primary" disabled={form.pending}>
          {form.pending ? "Saving…" : submitLabel}
        </button>
      </p>
    </form>
  );
}
