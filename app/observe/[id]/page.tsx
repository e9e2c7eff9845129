import Link from "next/link";
import { notFound } from "next/navigation";
import { JudgeRoom } from "@/components/judge-room";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError } from "@/lib/errors";
import { assertObserverOf } from "@/lib/studies/match-access";

/**
 * A researcher watches a live match read-only, with the story and the answer that the judge cannot see. Anyone
 * else is sent to sign in with a researcher (or admin) account. The page checks `assertObserverOf`
 * (lib/studies/match-access.ts) and shows a notice instead of the room when it refuses — a study that is not the
 * researcher's, or a match they are judging themselves and that is not over — and the socket checks again.
 */
export default async function ObservePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("researcher", { callbackUrl: `/observe/${encodeURIComponent(id)}` });
  const refused = await assertObserverOf(getDb(), user, id).then(
    () => null,
    (error: unknown) => {
      if (error instanceof CruxError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return error;
      throw error;
    },
  );
  if (refused?.code === "NOT_FOUND") notFound();
  if (refused) {
    return (
      <section className="notice">
        <h1>You cannot watch this match</h1>
        <p>{refused.message}</p>
        <p>
          <Link href="/transcripts">Back to transcripts</Link>
        </p>
      </section>
    );
  }
  // biome-ignore lint/a11y/useValidAriaRole: `role` is JudgeRoom's own prop (judge or observer), not an ARIA role.
  return <JudgeRoom matchId={id} role="observer" />;
}
