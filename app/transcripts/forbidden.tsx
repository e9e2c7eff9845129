import Link from "next/link";

/** The 403 page of the transcript pages (review, replay, comparison): what the rule is, and none of the data. */
export default function TranscriptForbidden() {
  return (
    <section className="notice" data-testid="transcript-forbidden">
      <h1>You cannot see this transcript</h1>
      <p>
        Transcripts are for researchers: a study's to its owner, the researchers added to it and admins; free play and
        imported datasets to every researcher. The judge of a match cannot open it here while it is running.
      </p>
      <p>
        If you were sent this link, ask the study's owner to add you. <Link href="/transcripts">Transcripts</Link>
      </p>
    </section>
  );
}
