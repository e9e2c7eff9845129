import Link from "next/link";
import { JudgeRoom } from "@/components/judge-room";
import { getCurrentUser } from "@/lib/auth/session";
import { canObserve } from "@/lib/matches/access";

/** A researcher watches a live match read-only, with the story and the answer that the judge cannot see. */
export default async function ObservePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await getCurrentUser();
  if (!user || !canObserve(user)) {
    return (
      <section className="notice">
        <h1>Researchers only</h1>
        <p>Watching a match needs a researcher account.</p>
        <p>
          <Link href="/">Back to the start</Link>
        </p>
      </section>
    );
  }
  return <JudgeRoom matchId={id} role="observer" />;
}
