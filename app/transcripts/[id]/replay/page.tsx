import Link from "next/link";
import { z } from "zod";
import { percent } from "@/components/results/format";
import { elapsed } from "@/components/review/elapsed";
import { PassagePanel } from "@/components/review/passage-panel";
import { ReplayKeys } from "@/components/review/replay-keys";
import { ReviewHeader } from "@/components/review/review-header";
import { ReviewTranscript } from "@/components/review/review-transcript";
import { getDb } from "@/lib/db/client";
import { getTranscriptReplay } from "@/lib/transcripts/review";
import { loadForPage } from "../../load";
import { reviewQuotes } from "../../quotes";
import "../../review.css";

export const metadata = { title: "Replay — Crux" };

/** `?round=<n>` a round of the match, `?round=end` the verdict; anything else: the first round. */
const roundSchema = z
  .union([z.literal("end"), z.coerce.number().int().min(0).max(100)])
  .optional()
  .catch(undefined);

/**
 * A transcript replayed round by round as the judge saw it: at each round the turns so far and the judge's own
 * steps, with the story hidden (what `viewFor` gives a judge before the verdict); at the end the verdict and the
 * story with its quotes. A timeline of the judge's steps, with the time each took, links every step.
 */
export default async function ReplayPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const asked = roundSchema.parse(Array.isArray(query.round) ? query.round[0] : query.round);
  const base = `/transcripts/${encodeURIComponent(id)}/replay`;
  const replay = await loadForPage(base, async (user) => {
    const first = await getTranscriptReplay(getDb(), user, id, asked === "end" ? null : (asked ?? 0));
    // No round asked (or one the match does not have): start at the first round.
    return asked === "end" || first.round !== null
      ? first
      : getTranscriptReplay(getDb(), user, id, first.rounds[0] ?? 1);
  });
  const { view, rounds, round } = replay;
  const steps: (number | "end")[] = [...rounds, "end"];
  const at = steps.indexOf(round ?? "end");
  const href = (step: number | "end" | undefined) => (step === undefined ? null : `${base}?round=${step}`);
  const previous = href(steps[at - 1]);
  const next = href(steps[at + 1]);
  const passage = round === null ? (view.reveal?.passage ?? null) : view.passage;
  return (
    <div className="review-page replay-page">
      <nav className="review-nav" aria-label="Replay">
        <Link href={`/transcripts/${id}`}>← Transcript</Link>
        {previous ? <Link href={previous}>← Previous round</Link> : <span className="muted">← Previous round</span>}
        {next ? <Link href={next}>Next round →</Link> : <span className="muted">Next round →</span>}
        <span className="muted">Keys: [ / ] previous / next round</span>
      </nav>
      <h1 className="replay-title" data-testid="replay-step">
        {round === null ? "Replay: the verdict" : `Replay: round ${round} of ${rounds.at(-1) ?? round}`}
      </h1>
      <ol className="replay-timeline" aria-label="The judge's steps">
        {rounds.map((r) => {
          const step = replay.judgeSteps.find((s) => s.round === r);
          const record = replay.decisions.find((s) => s.round === r) ?? null;
          return (
            <li key={r} aria-current={r === round ? "step" : undefined}>
              <Link href={`${base}?round=${r}`}>Round {r}</Link>
              {step && (
                <span className="muted">
                  {" "}
                  · judge took {elapsed(step.tookMs)}
                  {record && <> · {percent(Math.max(...record.probabilities), 0)} on the leading answer</>}
                </span>
              )}
            </li>
          );
        })}
        <li aria-current={round === null ? "step" : undefined}>
          <Link href={`${base}?round=end`}>Verdict</Link>
          {replay.verdict && <span className="muted"> · {elapsed(replay.verdict.timeTakenMs)} in all</span>}
        </li>
      </ol>
      {round === null ? (
        <ReviewHeader review={replay} />
      ) : (
        <header className="question-card">
          <h2 data-testid="question">{view.question.text}</h2>
          <ul className="review-options" aria-label="Options">
            {view.optionOrder.map((i) => (
              <li key={i}>{view.question.options[i]}</li>
            ))}
          </ul>
        </header>
      )}
      <div className="review-columns">
        <section aria-label="Turns">
          <ReviewTranscript view={view} turns={replay.turns} steps={replay.judgeSteps} records={replay.decisions} />
        </section>
        <aside className="review-side">
          {passage ? (
            <PassagePanel passage={passage} quotes={round === null ? reviewQuotes(view, replay.turns) : []} />
          ) : (
            <p className="story-hidden" data-testid="story-hidden">
              The story is hidden: the judge did not see it until the verdict.
            </p>
          )}
        </aside>
      </div>
      <ReplayKeys previous={previous} next={next} />
    </div>
  );
}
