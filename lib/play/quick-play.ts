import type { Db } from "../db/client";
import type { LiveProtocol } from "../debate/vocabulary";

/**
 * Quick play's formats, one drawn at random per game: a debate, a lone consultant (right only half the time) and no
 * help at all, so players learn how each feels — and how persuasive a lone consultant can be.
 */
export const QUICK_PLAY_PROTOCOLS = ["debate", "consultancy", "naive"] as const satisfies readonly LiveProtocol[];

/** A quick-play format for a draw in [0, 1). */
export function quickPlayProtocol(draw: number): LiveProtocol {
  const index = Math.min(QUICK_PLAY_PROTOCOLS.length - 1, Math.max(0, Math.floor(draw * QUICK_PLAY_PROTOCOLS.length)));
  return QUICK_PLAY_PROTOCOLS[index] ?? "debate";
}

/** Every question the user has judged (or been given to judge), so quick play can pick one they have not seen. */
export async function listQuestionsSeenBy(db: Db, judgeId: string): Promise<string[]> {
  const rows = await db.match.findMany({ where: { judgeId }, select: { questionId: true }, distinct: ["questionId"] });
  return rows.map((row) => row.questionId);
}
