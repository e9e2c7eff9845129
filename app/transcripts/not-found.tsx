import Link from "next/link";

/** The 404 page of the transcript pages. */
export default function TranscriptNotFound() {
  return (
    <section className="notice" data-testid="transcript-not-found">
      <h1>No such transcript</h1>
      <p>There is no match with this id: the link may be mistyped, or the match deleted.</p>
      <p>
        <Link href="/transcripts">Transcripts</Link>
      </p>
    </section>
  );
}
