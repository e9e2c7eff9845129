"use client";

import Link from "next/link";
import { PROTOCOL_LABELS } from "@/lib/debate/protocols";
import {
  debaterReports,
  decisiveRound,
  probabilityPath,
  type RevealTurn,
  type ScoreReference,
  scoreReference,
} from "@/lib/debate/reveal";
import { points } from "@/lib/debate/scoring";
import type { MatchView, RecordedSource } from "@/lib/debate/view";
import { SCORING_RULE_LABELS } from "@/lib/debate/vocabulary-lists";
import { DebaterReports } from "./debater-reports";
import { Judgement } from "./judgement";
import { RevealStory } from "./reveal-story";
import "../game.css";

/**
 * After the verdict: the correct answer and the format, the score placed on its scale, the judge's probability
 * round by round with their explanation, what each debater got right or wrong, and the story with each debater's
 * verified quotes in their colour. Everything comes from the view's reveal (sent only after the verdict), so
 * reopening a finished match shows it again.
 */
export function VerdictReveal({ view }: { view: MatchView }) {
  const reveal = view.reveal;
  if (!reveal?.verdict) return null;
  const { verdict, gold, passage } = reveal;
  const options = view.question.options;
  const turns: RevealTurn[] = view.turns.map((t, i) => ({
    round: t.round,
    speaker: t.speaker,
    quotes: reveal.quotes[i] ?? [],
  }));
  const path = probabilityPath(view.judgeSteps, verdict, gold);
  const decisive = view.debaters.length > 0 ? decisiveRound(path) : null;
  const reports = debaterReports(view.debaters, turns, gold, decisive);
  const reference = scoreReference(view.scoring, verdict, gold);
  return (
    <section className="reveal" aria-label="Result">
      <div className={`result ${verdict.correct ? "correct" : "incorrect"}`} role="status">
        <h2>{verdict.correct ? "You were right." : "Not this time."}</h2>
        <p>
          Correct answer: <strong data-testid="gold-answer">{options[gold]}</strong>
        </p>
        {verdict.chosen === null ? (
          <p>
            A 50–50 tie after {verdict.rounds} round{verdict.rounds === 1 ? "" : "s"}.
          </p>
        ) : (
          <p>
            You chose “{options[verdict.chosen]}” with {Math.round((verdict.probabilities[verdict.chosen] ?? 0) * 100)}%
            after {verdict.rounds} round{verdict.rounds === 1 ? "" : "s"}.
          </p>
        )}
        <p data-testid="format">
          {view.reveal?.quickPlay ? "Quick play drew this format at random: " : "Format: "}
          <strong>{PROTOCOL_LABELS[view.protocol]}</strong>.
          {view.protocol === "consultancy" && view.debaters[0] && (
            <>
              {" "}
              The consultant was arguing {view.debaters[0].option === gold ? "the correct answer" : "a wrong answer"}{" "}
              (consultants are assigned the correct answer half the time).
            </>
          )}
        </p>
        <p>
          Score: <strong data-testid="score">{verdict.score.toFixed(3)}</strong>{" "}
          <span data-testid="score-reference">
            <ScoreScale reference={reference} rule={SCORING_RULE_LABELS[view.scoring.rule]} />
          </span>
        </p>
      </div>
      {reveal.original && <OriginalJudgement original={reveal.original} options={options} />}
      <Judgement path={path} explanation={verdict.explanation ?? null} decisive={decisive} />
      {reports.length > 0 && <DebaterReports view={view} reports={reports} decisive={decisive} />}
      {passage && <RevealStory view={view} passage={passage} turns={turns} />}
      <p className="muted">
        Where the questions and stories come from: <Link href="/about/data">about the data</Link>.
      </p>
    </section>
  );
}

/** A recorded debate: how the judge who first judged it did, next to the player's own result. */
function OriginalJudgement({ original, options }: { original: RecordedSource; options: string[] }) {
  const { verdict } = original;
  const who =
    original.judge.kind === "human" ? "The original judge (a person)" : `The original judge (${original.judge.label})`;
  let text: string;
  if (!verdict) text = `${who} gave no verdict.`;
  else if (verdict.chosen === null)
    text = `${who} ended on a 50–50 tie after ${verdict.rounds} round${verdict.rounds === 1 ? "" : "s"}.`;
  else
    text =
      `${who} chose “${options[verdict.chosen]}” with ${Math.round((verdict.probabilities[verdict.chosen] ?? 0) * 100)}% ` +
      `after ${verdict.rounds} round${verdict.rounds === 1 ? "" : "s"} — ${verdict.correct ? "right" : "wrong"}.`;
  return (
    <section className="original-judgement" aria-label="The original judge">
      <h3>This debate really happened</h3>
      <p data-testid="original-verdict">{text}</p>
    </section>
  );
}

/** The score's reference points on the rule's scale, in the same units as the score. */
function ScoreScale({ reference, rule }: { reference: ScoreReference; rule: string }) {
  return (
    <>
      ({rule} rule: 100% on the correct answer scores {points(reference.certain)}, a 50/50 guess scores{" "}
      {points(reference.even)}, 100% on a wrong answer {points(reference.worst)}. Your answer scored{" "}
      {points(reference.beforeCosts)}
      {reference.roundCosts > 0 ? `, less ${points(reference.roundCosts)} for the rounds after the first` : ""}.)
    </>
  );
}
