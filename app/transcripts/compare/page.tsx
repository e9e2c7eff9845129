import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { BeliefSection } from "@/components/review/belief-table";
import { ReviewHeader } from "@/components/review/review-header";
import { ReviewTranscript } from "@/components/review/review-transcript";
import { getDb } from "@/lib/db/client";
import { getTranscriptComparison } from "@/lib/transcripts/review";
import { loadForPage } from "../load";
import "../review.css";

export const metadata = { title: "Compare transcripts — Crux" };

const idSchema = z.string().trim().min(1).max(100);

/**
 * Two transcripts side by side (`?a=<id>&b=<id>`): any two the viewer may see, typically the same question under
 * two conditions. One row per round, so both scroll in step. Either refused: the 403 page; either missing: 404.
 */
export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const a = idSchema.safeParse(first(query.a));
  const b = idSchema.safeParse(first(query.b));
  if (!a.success || !b.success) notFound();
  const callbackUrl = `/transcripts/compare?${new URLSearchParams({ a: a.data, b: b.data })}`;
  const pair = await loadForPage(callbackUrl, (user) => getTranscriptComparison(getDb(), user, a.data, b.data));
  const rounds = [
    ...new Set(pair.flatMap(({ view }) => [...view.turns.map((t) => t.round), ...view.judgeSteps.map((s) => s.round)])),
  ].sort((x, y) => x - y);
  return (
    <div className="review-page compare-page">
      <nav className="review-nav" aria-label="Comparison">
        <Link href="/transcripts">← Transcripts</Link>
        {pair.map((review, i) => (
          <Link key={review.view.id} href={`/transcripts/${review.view.id}`}>
            Open {i === 0 ? "left" : "right"} transcript
          </Link>
        ))}
      </nav>
      <div className="compare-grid" data-testid="compare">
        {pair.map((review) => (
          <section key={review.view.id} className="compare-cell" aria-label={`Transcript ${review.view.id}`}>
            <ReviewHeader review={review} />
            <BeliefSection view={review.view} steps={review.judgeSteps} />
          </section>
        ))}
        {rounds.map((round) =>
          pair.map((review) => (
            <section
              key={`${review.view.id}-${round}`}
              className="compare-cell"
              data-testid="compare-round"
              data-round={round}
            >
              <ReviewTranscript view={review.view} turns={review.turns} steps={review.judgeSteps} only={round} />
            </section>
          )),
        )}
      </div>
    </div>
  );
}
