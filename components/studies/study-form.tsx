"use client";

import { type FormEvent, startTransition, useActionState, useId, useState } from "react";
import YAML from "yaml";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import { PROTOCOLS } from "@/lib/debate/vocabulary";
import { CheckboxField, SelectField, TextArea, TextField } from "./fields";
import {
  type CheckDraft,
  type ConditionDraft,
  configFromDraft,
  draftFromConfig,
  emptyDraft,
  newCheckQuestion,
  newCondition,
  newSurveyQuestion,
  participantsNeeded,
  type StudyDraft,
  type StudyFormState,
  type SurveyDraft,
} from "./study-draft";

type StudyAction = (previous: StudyFormState, input: unknown) => Promise<StudyFormState>;

const PROTOCOL_OPTIONS = PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] }));
const SURVEY_KINDS = [
  { value: "text", label: "Free text" },
  { value: "scale", label: "Scale 1–7" },
  { value: "choice", label: "One of the options" },
];

/**
 * The study design form (new and edit). Everything typed lives in client state, so a refused submission loses
 * nothing; the server action validates the document with `studyConfigSchema` and answers with its issues, shown next
 * to the fields they name and listed at the top. "Edit as YAML/JSON" edits the same document as text.
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
  const [state, dispatch, pending] = useActionState(action, {});
  const [draft, setDraft] = useState<StudyDraft>(() => (initial ? draftFromConfig(initial) : emptyDraft()));
  const [mode, setMode] = useState<"form" | "yaml">("form");
  const [yamlText, setYamlText] = useState("");
  const [yamlError, setYamlError] = useState<string | null>(null);
  const specsId = useId();
  const yamlId = useId();
  const summaryId = useId();

  const update = (patch: Partial<StudyDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const errorsAt = (path: string) =>
    (state.issues ?? []).filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i) => i.message);
  const needed = participantsNeeded(draft);

  function parseYaml(): unknown | undefined {
    try {
      setYamlError(null);
      return YAML.parse(yamlText);
    } catch (error) {
      setYamlError(`Not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
  function switchMode() {
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
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const document = mode === "form" ? configFromDraft(draft) : parseYaml();
    if (document === undefined) return;
    startTransition(() => dispatch(document));
  }
  async function loadFile(file: File | undefined) {
    if (file) setYamlText(await file.text());
  }

  const sourceOptions = [
    ...sources.map((s) => ({ value: s.name, label: `${s.name} (${s.count} questions)` })),
    ...(sources.some((s) => s.name === draft.source) ? [] : [{ value: draft.source, label: draft.source }]),
  ];
  const issues = state.issues ?? [];

  return (
    <form className="study-form" onSubmit={submit} noValidate aria-describedby={issues.length ? summaryId : undefined}>
      {(state.summary?.length || state.error) && (
        <div id={summaryId} className="form-error" role="alert">
          <p>{state.error ?? "The design was not saved — please fix:"}</p>
          {state.summary?.length ? (
            <ul>
              {state.summary.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      <p>
        <button type="button" className="button small" onClick={switchMode}>
          {mode === "form" ? "Edit as YAML/JSON" : "Back to the form"}
        </button>
      </p>
      <datalist id={specsId}>
        {specs.map((spec) => (
          <option key={spec} value={spec} />
        ))}
      </datalist>

      {mode === "yaml" ? (
        <div className="field">
          <label htmlFor={yamlId}>Study design (YAML or JSON)</label>
          <textarea
            id={yamlId}
            className="code-input"
            rows={28}
            value={yamlText}
            spellCheck={false}
            aria-invalid={yamlError ? true : undefined}
            onChange={(event) => setYamlText(event.target.value)}
          />
          <label className="hint">
            Or load a file:{" "}
            <input
              type="file"
              accept=".yaml,.yml,.json,text/yaml,application/json"
              onChange={(event) => void loadFile(event.target.files?.[0])}
            />
          </label>
          {yamlError && (
            <p className="error" role="alert">
              {yamlError}
            </p>
          )}
        </div>
      ) : (
        <>
          <TextField
            label="Study name"
            value={draft.name}
            onChange={(name) => update({ name })}
            errors={errorsAt("name")}
          />
          <TextArea
            label="Description"
            value={draft.description}
            onChange={(description) => update({ description })}
            errors={errorsAt("description")}
            rows={2}
          />

          <fieldset className="study-fieldset">
            <legend>Questions</legend>
            <SelectField
              label="Question set"
              value={draft.source}
              onChange={(source) => update({ source })}
              options={sourceOptions}
              errors={errorsAt("questions.source")}
            />
            <div className="field-row">
              <TextField
                label="Number of questions"
                value={draft.count}
                inputMode="numeric"
                onChange={(count) => update({ count })}
                errors={errorsAt("questions.count")}
              />
              <TextField
                label="Seed"
                value={draft.seed}
                inputMode="numeric"
                onChange={(seed) => update({ seed })}
                errors={errorsAt("questions.seed")}
              />
            </div>
            <TextField
              label="Tags (comma-separated)"
              value={draft.tags}
              onChange={(tags) => update({ tags })}
              hint="Keep only questions with every one of these tags."
              errors={errorsAt("questions.tags")}
            />
            <TextArea
              label="Uploaded set: question ids, one per line (optional)"
              value={draft.ids}
              onChange={(ids) => update({ ids })}
              hint="When given, exactly these questions of the set are used, in this order; number and seed are ignored."
              errors={errorsAt("questions.ids")}
              rows={3}
            />
          </fieldset>

          <h2>Conditions</h2>
          {draft.conditions.map((condition, index) => (
            <ConditionFields
              key={condition.key}
              index={index}
              condition={condition}
              specsId={specsId}
              errorsAt={(field) => errorsAt(`conditions.${index}.${field}`)}
              onChange={(patch) =>
                update({ conditions: draft.conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)) })
              }
              onRemove={
                draft.conditions.length > 1
                  ? () => update({ conditions: draft.conditions.filter((_, i) => i !== index) })
                  : undefined
              }
            />
          ))}
          {errorsAt("conditions")
            .slice(0, 1)
            .map((message) => (
              <p key={message} className="error">
                {message}
              </p>
            ))}
          <p>
            <button
              type="button"
              className="button"
              onClick={() => update({ conditions: [...draft.conditions, newCondition(draft.conditions.length)] })}
            >
              Add condition
            </button>
          </p>

          <fieldset className="study-fieldset">
            <legend>Quota</legend>
            <div className="field-row">
              <TextField
                label="Judgments per question and condition"
                value={draft.judgmentsPerQuestion}
                inputMode="numeric"
                onChange={(judgmentsPerQuestion) => update({ judgmentsPerQuestion })}
                errors={errorsAt("judgmentsPerQuestion")}
              />
              <TextField
                label="Matches per participant"
                value={draft.questionsPerJudge}
                inputMode="numeric"
                onChange={(questionsPerJudge) => update({ questionsPerJudge })}
                errors={errorsAt("questionsPerJudge")}
              />
            </div>
            <p data-testid="participants-needed" aria-live="polite">
              Participants needed ≈ <strong>{needed ?? "?"}</strong>{" "}
              <span className="muted">(questions × conditions × judgments ÷ matches per participant)</span>
            </p>
          </fieldset>

          <fieldset className="study-fieldset">
            <legend>What participants read</legend>
            <TextArea
              label="Consent"
              value={draft.consent}
              onChange={(consent) => update({ consent })}
              errors={errorsAt("consent")}
            />
            <TextArea
              label="Instructions"
              value={draft.instructions}
              onChange={(instructions) => update({ instructions })}
              errors={errorsAt("instructions")}
            />
          </fieldset>

          <fieldset className="study-fieldset">
            <legend>Comprehension check</legend>
            {draft.check.map((question, index) => (
              <CheckFields
                key={question.key}
                index={index}
                question={question}
                errorsAt={(field) => errorsAt(`comprehensionCheck.questions.${index}.${field}`)}
                onChange={(patch) =>
                  update({ check: draft.check.map((q, i) => (i === index ? { ...q, ...patch } : q)) })
                }
                onRemove={() => update({ check: draft.check.filter((_, i) => i !== index) })}
              />
            ))}
            <p>
              <button
                type="button"
                className="button small"
                onClick={() => update({ check: [...draft.check, newCheckQuestion()] })}
              >
                Add check question
              </button>
            </p>
            <TextField
              label="Attempts allowed"
              value={draft.checkAttempts}
              inputMode="numeric"
              onChange={(checkAttempts) => update({ checkAttempts })}
              errors={errorsAt("comprehensionCheck.attempts")}
            />
            <CheckboxField
              label="Practice match first"
              checked={draft.practice}
              onChange={(practice) => update({ practice })}
              hint="A match of the first condition on a question outside the pool; never analysed."
            />
          </fieldset>

          <fieldset className="study-fieldset">
            <legend>Survey</legend>
            {draft.survey.map((question, index) => (
              <SurveyFields
                key={question.key}
                index={index}
                question={question}
                errorsAt={(field) => errorsAt(`survey.${index}.${field}`)}
                onChange={(patch) =>
                  update({ survey: draft.survey.map((q, i) => (i === index ? { ...q, ...patch } : q)) })
                }
                onRemove={() => update({ survey: draft.survey.filter((_, i) => i !== index) })}
              />
            ))}
            <p>
              <button
                type="button"
                className="button small"
                onClick={() => update({ survey: [...draft.survey, newSurveyQuestion()] })}
              >
                Add survey question
              </button>
            </p>
          </fieldset>

          <fieldset className="study-fieldset">
            <legend>Completion</legend>
            <TextField
              label="Redirect URL (optional)"
              type="url"
              value={draft.redirectUrl}
              onChange={(redirectUrl) => update({ redirectUrl })}
              hint="E.g. https://app.prolific.com/submissions/complete — the code is added as ?cc=CODE, or replaces {code}."
              errors={errorsAt("completion.redirectUrl")}
            />
            <div className="field-row">
              <TextField
                label="Completed code"
                value={draft.codeCompleted}
                onChange={(codeCompleted) => update({ codeCompleted })}
                errors={errorsAt("completion.codes.completed")}
              />
              <TextField
                label="Failed-check code"
                value={draft.codeFailedCheck}
                onChange={(codeFailedCheck) => update({ codeFailedCheck })}
                errors={errorsAt("completion.codes.failedCheck")}
              />
              <TextField
                label="Removed code"
                value={draft.codeRemoved}
                onChange={(codeRemoved) => update({ codeRemoved })}
                errors={errorsAt("completion.codes.removed")}
              />
            </div>
            <TextField
              label="Dropout after (minutes without a sign of life)"
              value={draft.dropoutMinutes}
              inputMode="numeric"
              onChange={(dropoutMinutes) => update({ dropoutMinutes })}
              errors={errorsAt("dropoutMinutes")}
            />
          </fieldset>
        </>
      )}

      <p>
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </button>
      </p>
    </form>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="button small" onClick={onClick}>
      {label}
    </button>
  );
}

function ConditionFields({
  index,
  condition,
  specsId,
  errorsAt,
  onChange,
  onRemove,
}: {
  index: number;
  condition: ConditionDraft;
  specsId: string;
  errorsAt: (field: string) => string[];
  onChange: (patch: Partial<ConditionDraft>) => void;
  onRemove?: () => void;
}) {
  const legend = `Condition ${index + 1}`;
  return (
    <fieldset className="study-fieldset condition-fieldset">
      <legend>{legend}</legend>
      <div className="field-row">
        <TextField
          label="Name"
          value={condition.name}
          onChange={(name) => onChange({ name })}
          errors={errorsAt("name")}
        />
        <SelectField
          label="Protocol"
          value={condition.protocol}
          onChange={(protocol) => onChange({ protocol })}
          options={PROTOCOL_OPTIONS}
          errors={errorsAt("protocol")}
        />
      </div>
      <div className="field-row">
        <TextField
          label="Rounds"
          value={condition.rounds}
          inputMode="numeric"
          onChange={(rounds) => onChange({ rounds })}
          errors={errorsAt("rounds")}
        />
        <TextField
          label="Word limit"
          value={condition.wordLimit}
          inputMode="numeric"
          onChange={(wordLimit) => onChange({ wordLimit })}
          errors={errorsAt("wordLimit")}
        />
        <TextField
          label="Round cost"
          value={condition.roundCost}
          inputMode="decimal"
          onChange={(roundCost) => onChange({ roundCost })}
          errors={errorsAt("scoring")}
        />
      </div>
      <TextField
        label="Debaters"
        value={condition.debaters}
        list={specsId}
        onChange={(debaters) => onChange({ debaters })}
        hint="One model spec for every seat, or two separated by a comma (seat A, seat B)."
        errors={errorsAt("debaters")}
      />
      <div className="field-row">
        <TextField
          label="Judge"
          value={condition.judge}
          list={specsId}
          onChange={(judge) => onChange({ judge })}
          hint={'"human" (participants judge) or an AI judge\'s spec.'}
          errors={errorsAt("judge")}
        />
        <TextField
          label="Judge time limit per step (seconds, optional)"
          value={condition.judgeTimeLimitSeconds}
          inputMode="numeric"
          onChange={(judgeTimeLimitSeconds) => onChange({ judgeTimeLimitSeconds })}
          errors={errorsAt("judgeTimeLimitSeconds")}
        />
      </div>
      {onRemove && <RemoveButton label={`Remove condition ${index + 1}`} onClick={onRemove} />}
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
  errorsAt: (field: string) => string[];
  onChange: (patch: Partial<CheckDraft>) => void;
  onRemove: () => void;
}) {
  return (
    <fieldset className="study-fieldset">
      <legend>Check question {index + 1}</legend>
      <TextField
        label="Question"
        value={question.question}
        onChange={(value) => onChange({ question: value })}
        errors={errorsAt("question")}
      />
      <TextArea
        label="Options (one per line)"
        value={question.options}
        onChange={(options) => onChange({ options })}
        errors={errorsAt("options")}
        rows={3}
      />
      <TextField
        label="Correct option (0 = first)"
        value={question.answer}
        inputMode="numeric"
        onChange={(answer) => onChange({ answer })}
        errors={errorsAt("answer")}
      />
      <RemoveButton label={`Remove check question ${index + 1}`} onClick={onRemove} />
    </fieldset>
  );
}

function SurveyFields({
  index,
  question,
  errorsAt,
  onChange,
  onRemove,
}: {
  index: number;
  question: SurveyDraft;
  errorsAt: (field: string) => string[];
  onChange: (patch: Partial<SurveyDraft>) => void;
  onRemove: () => void;
}) {
  return (
    <fieldset className="study-fieldset">
      <legend>Survey question {index + 1}</legend>
      <div className="field-row">
        <TextField
          label="Id"
          value={question.id}
          onChange={(id) => onChange({ id })}
          hint="e.g. confidence"
          errors={errorsAt("id")}
        />
        <SelectField
          label="Kind"
          value={question.kind}
          onChange={(kind) => onChange({ kind })}
          options={SURVEY_KINDS}
          errors={errorsAt("kind")}
        />
      </div>
      <TextField
        label="Prompt"
        value={question.prompt}
        onChange={(prompt) => onChange({ prompt })}
        errors={errorsAt("prompt")}
      />
      {question.kind === "choice" && (
        <TextArea
          label="Options (one per line)"
          value={question.options}
          onChange={(options) => onChange({ options })}
          errors={errorsAt("options")}
          rows={3}
        />
      )}
      <CheckboxField label="Required" checked={question.required} onChange={(required) => onChange({ required })} />
      <RemoveButton label={`Remove survey question ${index + 1}`} onClick={onRemove} />
    </fieldset>
  );
}
