"use client";

import { useEffect, useId, useRef, useState } from "react";
import { describeScoring } from "@/lib/debate/scoring";
import type { MatchView } from "@/lib/debate/view";
import type { JudgeChoice } from "@/lib/debate/vocabulary";
import type { ErrorPayload } from "@/lib/errors";
import type { Ack } from "@/lib/realtime/protocol";
import type { MatchConnection } from "./use-match";

/**
 * The judge's controls after a round: one slider sets how likely each answer is (two options, so one number),
 * then "Next round" (with an optional question where the protocol allows) or "Decide now". Deciding asks for an
 * optional explanation before the verdict is sent. Options appear in the match's randomised screen order.
 *
 * Keyboard: `1` / `2` lean toward the left / right option (10 points a press), `Enter` goes on (next round, or the
 * verdict once deciding) — not while typing in a text field, and a focused button keeps its own Enter. When a new
 * round's controls appear after the judge's previous step, the focus moves to the slider, so it does not fall back
 * to the top of the page.
 */
export function JudgePanel({
  view,
  round,
  final,
  submitStep,
  sendDraft,
}: {
  view: MatchView;
  round: number;
  final: boolean;
  submitStep: MatchConnection["submitStep"];
  /** Reports the slider as it moves, so running out of time submits what it shows. */
  sendDraft?: MatchConnection["sendDraft"];
}) {
  // The slider's value is the probability of the option on its right, so moving it towards an answer makes that
  // answer more likely; it starts where the judge left it after the previous round.
  const [left = 0, right = 1] = view.optionOrder;
  const last = view.judgeSteps.at(-1)?.probabilities[right];
  const [percent, setPercent] = useState(last === undefined ? 50 : Math.round(last * 100));
  const [deciding, setDeciding] = useState(final);
  const [explanation, setExplanation] = useState("");
  const [question, setQuestion] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const sliderId = useId();
  const slider = useRef<HTMLInputElement>(null);
  const hasActed = view.judgeSteps.length > 0;
  useEffect(() => {
    if (hasActed) slider.current?.focus();
  }, [hasActed]);
  const first = view.question.options[left];
  const second = view.question.options[right];

  /** Probabilities in option order for a slider value. */
  function probabilitiesAt(value: number): number[] {
    const probabilities = view.question.options.map(() => 0);
    probabilities[left] = 1 - value / 100;
    probabilities[right] = value / 100;
    return probabilities;
  }

  function move(value: number) {
    setPercent(value);
    if (view.deadline !== null) sendDraft?.({ round, probabilities: probabilitiesAt(value) });
  }

  async function send(action: JudgeChoice) {
    setPending(true);
    setError(null);
    const probabilities = probabilitiesAt(percent);
    const asked = action === "continue" && view.judgeMayAsk ? question.trim() : "";
    const explained = action === "end" ? explanation.trim() : "";
    const response: Ack<MatchView> = await submitStep({
      round,
      probabilities,
      action,
      ...(explained ? { explanation: explained } : {}),
      ...(asked ? { question: asked } : {}),
    });
    setPending(false);
    if (!response.ok) setError(response.error);
  }

  const tie = percent === 50;
  // The latest render's state for the key handler, which is installed once.
  const keys = useRef({ percent, deciding, pending, tie, move, send });
  keys.current = { percent, deciding, pending, tie, move, send };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const state = keys.current;
      if (event.key === "1" || event.key === "2") {
        event.preventDefault();
        const step = event.key === "1" ? -LEAN_STEP : LEAN_STEP;
        state.move(Math.min(99, Math.max(1, state.percent + step)));
      } else if (event.key === "Enter" && !state.pending && !isButton(event.target)) {
        if (state.deciding && state.tie) return;
        event.preventDefault();
        void state.send(state.deciding ? "end" : "continue");
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <section className="judge-panel" aria-label="Your judgement">
      <h2>
        {view.debaters.length
          ? `Round ${round} of ${view.rounds}: how likely is each answer?`
          : "How likely is each answer?"}
      </h2>
      <p className="hint" data-testid="scoring-rule">
        {describeScoring(view.scoring)}
      </p>
      <div className="slider-row">
        <span className="option-label seat-left">
          {first} <strong data-testid="p-left">{100 - percent}%</strong>
        </span>
        <input
          ref={slider}
          id={sliderId}
          type="range"
          min={1}
          max={99}
          step={1}
          value={percent}
          aria-label={`Probability that the answer is “${second}” rather than “${first}”`}
          aria-valuetext={`${100 - percent}% “${first}”, ${percent}% “${second}”`}
          onChange={(e) => move(Number(e.target.value))}
        />
        <span className="option-label seat-right">
          <strong data-testid="p-right">{percent}%</strong> {second}
        </span>
      </div>
      <p className="hint keys">
        Keys: <kbd>1</kbd> / <kbd>2</kbd> lean toward the left / right answer, <kbd>Enter</kbd>{" "}
        {deciding ? "submits the verdict" : "asks for the next round"}.
      </p>
      {deciding ? (
        <form
          className="decide"
          onSubmit={(e) => {
            e.preventDefault();
            void send("end");
          }}
        >
          <label>
            Why? (optional)
            <textarea value={explanation} maxLength={4000} rows={3} onChange={(e) => setExplanation(e.target.value)} />
          </label>
          {tie && <p className="hint">Move the slider off 50% to choose an answer.</p>}
          <div className="actions">
            <button type="submit" className="button primary" disabled={pending || tie}>
              Submit verdict
            </button>
            {!final && (
              <button type="button" className="button" onClick={() => setDeciding(false)} disabled={pending}>
                Back
              </button>
            )}
          </div>
        </form>
      ) : (
        <div className="actions column">
          {view.judgeMayAsk && (
            <label className="ask">
              {view.protocol === "consultancy"
                ? "Ask the consultant something for the next round (optional)"
                : "Ask the debaters something for the next round (optional)"}
              <textarea value={question} maxLength={1000} rows={2} onChange={(e) => setQuestion(e.target.value)} />
            </label>
          )}
          <div className="actions">
            <button type="button" className="button" onClick={() => void send("continue")} disabled={pending}>
              Next round
            </button>
            <button type="button" className="button primary" onClick={() => setDeciding(true)} disabled={pending}>
              Decide now
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </section>
  );
}

/** How far one press of `1` or `2` moves the slider, in percentage points. */
const LEAN_STEP = 10;

/** Whether a key press is someone typing (text fields, selects, editable content), where shortcuts must not fire. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return target instanceof HTMLInputElement && target.type !== "range";
}

/** A focused button or link: its own Enter (click) wins over the page's. */
function isButton(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("button, a, summary") !== null;
}
