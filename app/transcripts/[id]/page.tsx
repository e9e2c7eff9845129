import Link from "next/link";
import { TranscriptAnnotations, TurnAnnotations } from "@/components/review/annotations";
import { BeliefSection } from "@/components/review/belief-table";
import { OtherJudgments } from "@/components/review/other-judgments";
import { PassagePanel } from "@/components/review/passage-panel";
import { ReviewHeader } from "@/components/review/review-header";
import { ReviewTranscript } from "@/components/review/review-transcript";
import { TurnKeys } from "@/components/review/turn-keys";
import { getDb } from "@/lib/db/client";
import { listAnnotations, listTagSuggestions } from "@/lib/transcripts/annotations";
import { getTranscriptReview } from "@/lib/transcripts/review";
import { loadForPage } from "../load";
import { reviewQuotes } from "../quotes";
import { addAnnotationAction, deleteAnnotationAction } from "./actions";
import "../review.css";

export const metadata = { title: "Transcript — Crux" };

/**
 * One transcript for review: the question, who judged and how, the judge's belief over rounds, the turns with
 * their quotes and reviewers' comments, the story beside them with every quote highlighted, and the transcript's
 * annotations (tags and comments). Stable anchors: `#turn-<turnId>`.
 */
export default async function TranscriptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { review, annotations, suggestions } = await loadForPage(
    `/transcripts/${encodeURIComponent(id)}`,
    async (user) => {
      const review = await getTranscriptReview(getDb(), user, id);
      const [annotations, suggestions] = await Promise.all([
        listAnnotations(getDb(), user, id),
        listTagSuggestions(getDb(), user),
      ]);
      return { review, annotations, suggestions };
    },
  );
  const actions = { add: addAnnotationAction, remove: deleteAnnotationAction };
  const { view } = review;
  const passage = view.reveal?.passage ?? view.passage;
  const quotes = reviewQuotes(view, review.turns);
  return (
    <div className="review-page">
      <nav className="review-nav" aria-label="Transcript">
        <Link href="/transcripts">← Transcripts</Link>
        <Link href={`/transcripts/${id}/replay`}>Replay round by round</Link>
        <span className="muted">Keys: j / k next / previous turn</span>
      </nav>
      <ReviewHeader review={review} />
      <BeliefSection view={view} steps={review.judgeSteps} />
      <div className={passage ? "review-columns" : undefined}>
        <section aria-label="Turns">
          <h2>Transcript</h2>
          <ReviewTranscript
            view={view}
            turns={review.turns}
            steps={review.judgeSteps}
            extra={(turn) => (
              <TurnAnnotations
                matchId={id}
                turnId={turn.id}
                annotations={annotations.filter((a) => a.turnId === turn.id)}
                actions={actions}
              />
            )}
          />
        </section>
        {passage && (
          <aside className="review-side">
            <PassagePanel passage={passage} quotes={quotes} />
          </aside>
        )}
      </div>
      <TranscriptAnnotations matchId={id} annotations={annotations} suggestions={suggestions} actions={actions} />
      <OtherJudgments matchId={id} others={review.others} />
      <TurnKeys />
    </div>
  );
}
