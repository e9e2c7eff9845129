"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import type { EndPhase, MatchView, ViewerRole } from "@/lib/debate/view";
import { Countdown } from "./countdown";
import { JudgePanel } from "./judge-panel";
import { VerdictReveal } from "./reveal/verdict-reveal";
import { speakerName, Transcript } from "./transcript";
import { TutorialTip } from "./tutorial-tip";
import { useMatch } from "./use-match";

/**
 * The live room: question, who argues what, the streaming transcript, the judge's controls after each round,
 * then the reveal. Observers (researchers) get the same room read-only, with the answer shown from the start.
 * `onEnd` (study pages) hears when the match is over — verdict in (with its score), or stopped — and replaces
 * "Play another". With `tutorial`, short explanations appear next to each element the first time it is shown.
 */
export function JudgeRoom({
  matchId,
  role = "judge",
  onEnd,
  tutorial = false,
}: {
  matchId: string;
  role?: ViewerRole;
  onEnd?: (outcome: EndPhase, score: number | null) => void;
  /** The tutorial game: explain each element as it first appears, until the player skips. */
  tutorial?: boolean;
}) {
  const [tips, setTips] = useState(tutorial);
  const skip = () => setTips(false);
  const { view, connected, error, submitStep, sendDraft } = useMatch(matchId, role);
  const ended = view?.phase.kind === "complete" || view?.phase.kind === "errored" ? view.phase.kind : null;
  const score = view?.reveal?.verdict?.score ?? null;
  useEffect(() => {
    if (ended) onEnd?.(ended, score);
  }, [ended, score, onEnd]);

  if (!view) {
    return (
      <section className="notice" aria-busy={!error}>
        {error ? (
          <>
            <h1>Could not open the match</h1>
            <p role="alert">{error.message}</p>
            <Link href="/">Back to the start</Link>
          </>
        ) : (
          <p>Connecting…</p>
        )}
      </section>
    );
  }

  const { phase } = view;
  const judging = role === "judge";
  return (
    <div className="room">
      {!judging && view.reveal && (
        <p className="observer-banner" role="note">
          Watching read-only. Correct answer (hidden from the judge):{" "}
          <strong>{view.question.options[view.reveal.gold]}</strong>
        </p>
      )}
      <section className="question-card">
        <p className="muted">
          {PROTOCOL_LABELS[view.protocol]} ·{" "}
          {view.question.hasPassage
            ? view.passage
              ? `A question about “${view.question.passageTitle}”.`
              : `A question about “${view.question.passageTitle}”, a story you cannot see.`
            : "A question without a story."}
        </p>
        <h1 data-testid="question">{view.question.text}</h1>
        <Seats view={view} />
      </section>
      {tips && view.debaters.length > 0 && !view.reveal && <TutorialTip id="sides" onSkip={skip} />}

      {view.passage && !view.reveal?.verdict && (
        <details className="passage expert-passage" open={judging}>
          <summary>The story: {view.passage.title}</summary>
          <div className="passage-text">{view.passage.text}</div>
        </details>
      )}

      <StatusLine view={view} connected={connected} />
      <Transcript view={view} />
      {tips && !view.reveal && view.turns.some((turn) => turn.quotes.length > 0) && (
        <TutorialTip id="quotes" onSkip={skip} />
      )}
      {tips && judging && phase.kind === "judge" && view.judgeSteps.length === 0 && (
        <>
          <TutorialTip id="probabilities" onSkip={skip} />
          <TutorialTip id="stop" onSkip={skip} />
        </>
      )}

      {judging && phase.kind === "judge" && (
        <JudgePanel
          key={phase.round}
          view={view}
          round={phase.round}
          final={phase.final}
          submitStep={submitStep}
          sendDraft={sendDraft}
        />
      )}
      <VerdictReveal view={view} />
      {tips && view.reveal?.verdict && <TutorialTip id="score" onSkip={skip} />}
      {judging && phase.kind === "complete" && !onEnd && (
        <p className="again">
          <Link href="/" className="button primary">
            Play another
          </Link>
        </p>
      )}
    </div>
  );
}

function Seats({ view }: { view: MatchView }) {
  if (view.debaters.length === 0) {
    return (
      <p>
        {view.protocol === "expert"
          ? "No AI help in this format: read the story below and decide."
          : "No AI help in this format: decide from the question alone."}{" "}
        The options: {view.optionOrder.map((i) => `“${view.question.options[i]}”`).join(" or ")}.
      </p>
    );
  }
  return (
    <ul className="debaters">
      {view.debaters.map((d) => (
        <li key={d.seat} className={`seat-${d.seat}`}>
          <strong>{speakerName(view, d.seat)}</strong> argues “{view.question.options[d.option]}”
          <span className="model-label" title={d.isLanguageModel ? "A language model" : "No language model"}>
            {view.protocol === "recorded"
              ? "recorded debater"
              : d.isLanguageModel
                ? d.label
                : "offline debater, no language model"}
          </span>
        </li>
      ))}
      {view.protocol === "consultancy" && (
        <li className="muted">The consultant is assigned the correct answer only half the time.</li>
      )}
      {view.protocol === "recorded" && (
        <li className="muted" data-testid="recorded-note">
          A debate that already took place, replayed as it was written
          {view.recordedMode === "timed" ? ": every round first, then your one verdict." : ", round by round."}
        </li>
      )}
    </ul>
  );
}

function StatusLine({ view, connected }: { view: MatchView; connected: boolean }) {
  const { phase } = view;
  let text: string;
  if (!connected) text = "Connection lost — reconnecting…";
  else if (phase.kind === "waiting") text = "Starting…";
  else if (phase.kind === "turns") {
    const who = phase.seats.map((s) => speakerName(view, s)).join(" and ");
    text = `Round ${phase.round} of ${view.rounds}: ${who} ${phase.seats.length > 1 ? "are" : "is"} writing…`;
  } else if (phase.kind === "judge") {
    text = view.debaters.length ? `Round ${phase.round} is over: the judge's turn.` : "The judge's turn.";
  } else if (phase.kind === "errored") text = `The match stopped: ${view.error ?? "an error occurred"}.`;
  else text = "The verdict is in.";
  return (
    <p className={`status ${connected ? "" : "offline"}`} role="status" aria-live="polite" data-testid="status">
      {text} {phase.kind === "judge" && view.deadline !== null && <Countdown deadline={view.deadline} />}
    </p>
  );
}
