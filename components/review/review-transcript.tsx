import { percent } from "@/components/results/format";
import { speakerName } from "@/components/transcript";
import { TurnText } from "@/components/turn-text";
import type { JudgeStepRecord } from "@/lib/debate/types";
import type { MatchView } from "@/lib/debate/view";
import type { JudgeStepDetail, TurnDetail } from "@/lib/transcripts/review";
import { elapsed } from "./elapsed";
import { UsageLine } from "./usage-line";

/** The quote key of a turn's `index`-th quote: anchors are `quote-<key>` in the turn and `passage-<key>` in the story. */
export const quoteKey = (turnId: string, index: number) => `${turnId}-${index}`;

/**
 * A transcript for a reviewer, round by round: each turn (anchor `turn-<id>`) with its speaker, side, quotes
 * (verified ones link to the story) and usage; after each round what the judge did, in the third person.
 * `extra` adds something under a turn (its annotations).
 */
export function ReviewTranscript({
  view,
  turns,
  steps,
  records = view.judgeSteps,
  only,
  extra,
}: {
  view: MatchView;
  turns: TurnDetail[];
  steps: JudgeStepDetail[];
  /** The judge's steps to tell (default: the view's; a replay passes the one the judge is about to take too). */
  records?: JudgeStepRecord[];
  /** Show this round only (side by side, one row per round). */
  only?: number;
  extra?: (turn: TurnDetail) => React.ReactNode;
}) {
  const detailOf = (round: number, speaker: string) => turns.find((t) => t.round === round && t.speaker === speaker);
  const rounds = [...new Set([...view.turns.map((t) => t.round), ...records.map((s) => s.round)])]
    .filter((round) => only === undefined || round === only)
    .sort((a, b) => a - b);
  const gold = view.reveal?.gold ?? null;
  if (rounds.length === 0)
    return <p className="empty">{only === undefined ? "No turns were given in this match." : "Nothing this round."}</p>;
  return (
    <ol className="transcript review-transcript" aria-label="Transcript">
      {rounds.map((round) => (
        <li key={round} className="round" data-round={round}>
          <h3>{round === 0 ? "Before the first round" : `Round ${round}`}</h3>
          {view.turns.map((turn, index) => {
            if (turn.round !== round) return null;
            const detail = detailOf(turn.round, turn.speaker);
            const id = detail?.id ?? `${turn.round}-${turn.speaker}`;
            const quotes = view.reveal?.quotes[index] ?? turn.quotes;
            return (
              <article
                key={id}
                id={`turn-${id}`}
                className={`turn seat-${turn.speaker}`}
                data-testid="turn"
                data-turn
                tabIndex={-1}
              >
                <header>
                  {speakerName(view, turn.speaker)}{" "}
                  <span className="muted">
                    for “{view.question.options[turn.option]}”
                    {gold !== null && (turn.option === gold ? " (the correct answer)" : " (the wrong answer)")}
                  </span>{" "}
                  <a href={`#turn-${id}`} className="turn-link" aria-label={`Link to this turn`}>
                    #
                  </a>
                </header>
                <TurnText
                  text={turn.text}
                  quotes={turn.quotes}
                  anchors={quotes.map((q, i) => ({
                    id: `quote-${quoteKey(id, i)}`,
                    href:
                      q.verified && "start" in q && q.start !== undefined ? `#passage-${quoteKey(id, i)}` : undefined,
                    owner: turn.speaker,
                  }))}
                />
                {detail && (
                  <footer>
                    <UsageLine usage={detail} />
                  </footer>
                )}
                {detail && extra?.(detail)}
              </article>
            );
          })}
          {steps
            .filter((s) => s.round === round)
            .map((step) => (
              <JudgeStepNote
                key={`step-${step.round}`}
                view={view}
                step={step}
                record={records.find((r) => r.round === step.round)}
              />
            ))}
        </li>
      ))}
    </ol>
  );
}

/** "After round 2 the judge put 65% on “Ada” and asked for another round (took 42 s)." */
function JudgeStepNote({
  view,
  step,
  record,
}: {
  view: MatchView;
  step: JudgeStepDetail;
  record: JudgeStepRecord | undefined;
}) {
  if (!record) return null;
  const options = view.question.options;
  const leading = (record.probabilities[1] ?? 0) > (record.probabilities[0] ?? 0) ? 1 : 0;
  const action =
    record.action === "end"
      ? "ended the debate"
      : record.action === "timeout"
        ? "ran out of time"
        : step.round === 0
          ? "asked for the debate"
          : "asked for another round";
  return (
    <aside className="judge-step" data-testid="judge-step" data-round={step.round}>
      <p>
        {step.round === 0 ? "Before any argument" : `After round ${step.round}`} the judge put{" "}
        <strong>{percent(record.probabilities[leading], 0)}</strong> on “{options[leading]}” and {action}
        {step.tookMs !== null && <span className="muted"> (took {elapsed(step.tookMs)})</span>}.
      </p>
      {record.message && (
        <p className="judge-message">
          <strong>The judge wrote:</strong> {record.message}
        </p>
      )}
      <UsageLine usage={step} />
    </aside>
  );
}
