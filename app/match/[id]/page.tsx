import Link from "next/link";
import { JudgeRoom } from "@/components/judge-room";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

/**
 * The judge's room. The page itself carries only the match id: everything else arrives over the socket,
 * shaped by viewFor, so neither the HTML nor the RSC payload can leak the story or the answer.
 */
export default async function MatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await getCurrentUser();
  const match = await getDb().match.findUnique({ where: { id }, select: { judgeId: true } });
  if (!match || !user || match.judgeId !== user.id) {
    return (
      <section className="notice">
        <h1>{match ? "This match belongs to another judge" : "No such match"}</h1>
        <p>
          <Link href="/">Start a new game</Link>
        </p>
      </section>
    );
  }
  return <JudgeRoom matchId={id} />;
}
