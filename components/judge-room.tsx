"use client";

import Link from "next/link";
import type { MatchView } from "@/lib/debate/view";
import { JudgePanel } from "./judge-panel";
import { Transcript } from "./transcript";
import { useMatch } from "./use-match";
import { VerdictReveal } from "./verdict-reveal";

/** The judge's live room: question, debaters, streaming transcript, controls after each round, then the reveal. */
export function JudgeRoom({ matchId }: { matchId: string }) {
  const { view, connected, error, submitStep } = useMatch(matchId);

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
          <p>Connecting to the debate…</p>
        )}
      </section>
    );
  }

  const { phase } = view;
  return (
    <div className="room">
      <section className="question-card">
        <p className="muted">
          {view.question.hasPassage
            ? `A question about “${view.question.passageTitle}”, a story only the debaters can read.`
            : "A question without a story: the debaters argue from what they know."}
        </p>
        <h1 data-testid="question">{view.question.text}</h1>
        <ul className="debaters">
          {view.debaters.map((d) => (
            <li key={d.seat} className={`seat-${d.seat}`}>
              <strong>Debater {d.seat}</strong> argues “{view.question.options[d.option]}”
              <span className="model-label" title={d.isLanguageModel ? "A language model" : "No language model"}>
                {d.isLanguageModel ? d.label : "offline debater, no language model"}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <StatusLine view={view} connected={connected} />
      <Transcript view={view} />

      {phase.kind === "judge" && (
        <JudgePanel key={phase.round} view={view} round={phase.round} final={phase.final} submitStep={submitStep} />
      )}
      <VerdictReveal view={view} />
      {phase.kind === "complete" && (
        <p className="again">
          <Link href="/" className="button primary">
            Play another
          </Link>
        </p>
      )}
    </div>
  );
}

function StatusLine({ view, connected }: { view: MatchView; connected: boolean }) {
  const { phase } = view;
  let text: string;
  if (!connected) text = "Connection lost — reconnecting…";
  else if (phase.kind === "waiting") text = "Starting the debate…";
  else if (phase.kind === "turns") {
    const who = phase.seats.map((s) => `Debater ${s}`).join(" and ");
    text = `Round ${phase.round} of ${view.rounds}: ${who} ${phase.seats.length > 1 ? "are" : "is"} writing…`;
  } else if (phase.kind === "judge") text = `Round ${phase.round} is over: your judgement.`;
  else if (phase.kind === "errored") text = `The match stopped: ${view.error ?? "an error occurred"}.`;
  else text = "The verdict is in.";
  return (
    <p className={`status ${connected ? "" : "offline"}`} role="status" aria-live="polite" data-testid="status">
      {text}
    </p>
  );
}
