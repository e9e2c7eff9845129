"use client";

import { useEffect, useId, useState } from "react";
import { ActionForm, type FormAction } from "@/components/action-form";
import { COMMENT_MAX, TAG_MAX } from "@/lib/matches/annotation-vocabulary";
import type { AnnotationView } from "@/lib/transcripts/annotations";

/**
 * Annotations on a review page: a turn's comments with a comment box (which takes the words selected in the turn
 * as its quote), the transcript's tags with a tag box that suggests the tags already in use, and the comments on the
 * whole transcript. Each annotation shows its author (the one pseudonym rule: never an email to a non-admin) and
 * time; the viewer's own (any, for an admin) have a Delete button. Forms post to the page's server actions.
 */

export interface AnnotationActions {
  add: FormAction;
  remove: FormAction;
}

const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");

/** One annotation: its text (a comment's quote first), author, time, and Delete where the viewer may. */
function AnnotationItem({
  matchId,
  annotation,
  actions,
}: {
  matchId: string;
  annotation: AnnotationView;
  actions: AnnotationActions;
}) {
  return (
    <li className={`annotation annotation-${annotation.kind}`} data-testid="annotation">
      {annotation.quote && (
        <blockquote className="annotation-quote">
          {annotation.turnId ? (
            <a href={`#turn-${annotation.turnId}`} title="Go to the turn">
              “{annotation.quote.text}”
            </a>
          ) : (
            `“${annotation.quote.text}”`
          )}
        </blockquote>
      )}
      <span className="annotation-text">{annotation.kind === "tag" ? `#${annotation.text}` : annotation.text}</span>{" "}
      <span className="annotation-meta muted">
        — {annotation.author},{" "}
        <time dateTime={new Date(annotation.createdAt).toISOString()}>{when(new Date(annotation.createdAt))}</time>
      </span>
      {annotation.deletable && (
        <ActionForm
          action={actions.remove}
          fields={{ matchId, annotationId: annotation.id }}
          label="Delete"
          small
          accessibleName={`Delete ${annotation.kind} “${annotation.text.slice(0, 40)}”`}
          confirm="Delete this annotation?"
        />
      )}
    </li>
  );
}

/** A list of annotations (nothing when empty). */
function AnnotationItems({
  matchId,
  annotations,
  actions,
  label,
}: {
  matchId: string;
  annotations: AnnotationView[];
  actions: AnnotationActions;
  label: string;
}) {
  if (annotations.length === 0) return null;
  return (
    <ul className="annotations" aria-label={label}>
      {annotations.map((a) => (
        <AnnotationItem key={a.id} matchId={matchId} annotation={a} actions={actions} />
      ))}
    </ul>
  );
}

/** The words selected inside the element with id `containerId` (badges of quotes left out), kept until cleared. */
function useSelectedWords(containerId: string): [string, () => void] {
  const [words, setWords] = useState("");
  useEffect(() => {
    const onChange = () => {
      const selection = document.getSelection();
      const container = document.getElementById(containerId)?.querySelector(".turn-text");
      if (!selection || selection.isCollapsed || !container) return;
      const range = selection.getRangeAt(0);
      if (!container.contains(range.commonAncestorContainer)) return;
      const fragment = range.cloneContents();
      for (const badge of fragment.querySelectorAll(".quote-badge")) badge.remove();
      const text = (fragment.textContent ?? "").replace(/\s+/g, " ").trim();
      if (text) setWords(text);
    };
    document.addEventListener("selectionchange", onChange);
    return () => document.removeEventListener("selectionchange", onChange);
  }, [containerId]);
  return [words, () => setWords("")];
}

/** Under a turn: its comments, and a box to comment on it (or on the words selected in it). */
export function TurnAnnotations({
  matchId,
  turnId,
  annotations,
  actions,
}: {
  matchId: string;
  turnId: string;
  annotations: AnnotationView[];
  actions: AnnotationActions;
}) {
  const [quote, clearQuote] = useSelectedWords(`turn-${turnId}`);
  const fieldId = useId();
  return (
    <div className="turn-annotations">
      <AnnotationItems matchId={matchId} annotations={annotations} actions={actions} label="Comments on this turn" />
      <details className="annotate">
        <summary>Comment on this turn</summary>
        <ActionForm
          action={actions.add}
          fields={{ kind: "comment", matchId, turnId, quote }}
          label="Add comment"
          onDone={(state) => state.ok && clearQuote()}
        >
          {quote ? (
            <p className="annotation-quote-draft">
              On the selected words “{quote}”{" "}
              <button type="button" className="link-button" onClick={clearQuote}>
                (comment on the whole turn)
              </button>
            </p>
          ) : (
            <p className="hint">Select words in the turn to comment on them.</p>
          )}
          <label htmlFor={fieldId} className="visually-hidden">
            Comment on this turn
          </label>
          <textarea id={fieldId} name="body" required maxLength={COMMENT_MAX} rows={2} />
        </ActionForm>
      </details>
    </div>
  );
}

/** The transcript's tags and comments on it as a whole, with a tag box and a comment box. */
export function TranscriptAnnotations({
  matchId,
  annotations,
  suggestions,
  actions,
}: {
  matchId: string;
  annotations: AnnotationView[];
  suggestions: string[];
  actions: AnnotationActions;
}) {
  const tags = annotations.filter((a) => a.kind === "tag");
  const comments = annotations.filter((a) => a.kind === "comment" && a.turnId === null);
  const onTurns = annotations.filter((a) => a.kind === "comment" && a.turnId !== null).length;
  const listId = useId();
  return (
    <section className="transcript-annotations" aria-labelledby={`${listId}-h`}>
      <h2 id={`${listId}-h`}>Annotations</h2>
      <p className="muted">
        Visible to everyone who may read this transcript.{" "}
        {onTurns > 0 && `${onTurns} comment${onTurns === 1 ? "" : "s"} on turns, shown under them.`}
      </p>
      <AnnotationItems matchId={matchId} annotations={tags} actions={actions} label="Tags" />
      <ActionForm action={actions.add} fields={{ kind: "tag", matchId }} label="Add tag">
        <label>
          Tag{" "}
          <input name="tag" list={`${listId}-tags`} required maxLength={TAG_MAX} placeholder="e.g. misused evidence" />
        </label>
        <datalist id={`${listId}-tags`}>
          {suggestions.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      </ActionForm>
      <AnnotationItems matchId={matchId} annotations={comments} actions={actions} label="Comments" />
      <ActionForm action={actions.add} fields={{ kind: "comment", matchId }} label="Add comment">
        <label>
          Comment on the transcript <textarea name="body" required maxLength={COMMENT_MAX} rows={2} />
        </label>
      </ActionForm>
    </section>
  );
}
