import { JudgeRoom } from "@/components/judge-room";
import { requireRole } from "@/lib/auth/session";

/**
 * A researcher watches a live match read-only, with the story and the answer that the judge cannot see. Anyone
 * else is sent to sign in with a researcher (or admin) account; the socket checks again (`assertObserverOf`, lib/studies/match-access.ts).
 */
export default async function ObservePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireRole("researcher", { callbackUrl: `/observe/${encodeURIComponent(id)}` });
  // biome-ignore lint/a11y/useValidAriaRole: `role` is JudgeRoom's own prop (judge or observer), not an ARIA role.
  return <JudgeRoom matchId={id} role="observer" />;
}
