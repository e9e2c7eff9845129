import { hasRole, type SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { CruxError } from "../errors";

/**
 * Who may do what with a match — the one place these rules live (pages, routes and socket handlers call it).
 * The judge of a match is the only person who may act in it or see it as a judge. Researchers may watch matches
 * read-only as observers, with the story and the answer — a study's matches only if the study is theirs (owner
 * or added), play matches any researcher; admins every match. Never the other way round. Observing depends on
 * the study a match belongs to, so `assertObserverOf` lives above, in lib/studies/match-access.ts.
 */

/** Researchers (and admins, who include them) may watch matches. */
export function canObserve(user: SessionUser | null): boolean {
  return hasRole(user, "researcher");
}

/** Throws NOT_FOUND / FORBIDDEN unless `user` is the match's judge (FORBIDDEN for no user at all). */
export async function assertJudgeOf(db: Db, user: SessionUser | null, matchId: string): Promise<void> {
  const match = await db.match.findUnique({ where: { id: matchId }, select: { judgeId: true } });
  if (!match) throw new CruxError("NOT_FOUND", "No such match.");
  if (!user || match.judgeId !== user.id) throw new CruxError("FORBIDDEN", "This match belongs to another judge.");
}
