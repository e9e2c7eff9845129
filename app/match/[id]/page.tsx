import Link from "next/link";
import { notFound } from "next/navigation";
import { JudgeRoom } from "@/components/judge-room";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError } from "@/lib/errors";
import { assertJudgeOf } from "@/lib/matches/access";

/**
 * The judge's room. The page itself carries only the match id: everything else arrives over the socket,
 * shaped by viewFor, so neither the HTML nor the RSC payload can leak the story or the answer. `?tutorial=1` (the
 * tutorial game) adds the explanations of each element as it first appears.
 */
export default async function MatchPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ tutorial?: string | string[] }>;
}) {
  const { id } = await params;
  const { tutorial } = await searchParams;
  const user = await getCurrentUser();
  const refused = await assertJudgeOf(getDb(), user, id).then(
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
        <h1>This match belongs to another judge</h1>
        <p>
          <Link href="/">Start a new game</Link>
        </p>
      </section>
    );
  }
  return <JudgeRoom matchId={id} tutorial={tutorial === "1"} />;
}
