import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { isSettledMatchStatus } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { canObserve } from "../matches/access";
import { canAccessStudy } from "./repository";

/*
 * Watching a match depends on the study it belongs to (lib/matches/access.ts has the rest of the match rules):
 * this check sits in lib/studies, above lib/matches, so that the matches layer never imports studies.
 */

/** The refusal for a researcher who asks to observe a match they are judging. */
export const JUDGING_THIS_MATCH =
  "You are judging this match: you can watch it as an observer, with the story and the answer, once it is over.";

/** What the rule needs to know of a match: its judge, status and study (owner and added researchers). */
export interface ObservedMatch {
  judgeId: string | null;
  status: string;
  study: { ownerId: string; members: { userId: string }[] } | null;
}

/** The fields of a match {@link observerRefusal} reads, as a Prisma `select`. */
export const OBSERVED_MATCH_SELECT = {
  judgeId: true,
  status: true,
  study: { select: { ownerId: true, members: { select: { userId: true } } } },
} as const;

/**
 * Why `user` may not observe `match`, or null when they may. The match's own judge may not until it is settled,
 * whatever their role: the observer's view carries the story and the answer the judge must not see.
 */
export function observerRefusal(user: SessionUser | null, match: ObservedMatch): CruxError | null {
  if (!canObserve(user)) return new CruxError("FORBIDDEN", "Only researchers can watch matches.");
  if (match.judgeId === user?.id && !isSettledMatchStatus(match.status))
    return new CruxError("FORBIDDEN", JUDGING_THIS_MATCH);
  const { study } = match;
  if (study && !canAccessStudy(user, { ownerId: study.ownerId, memberIds: study.members.map((m) => m.userId) }))
    return new CruxError("FORBIDDEN", "This match belongs to a study that is not yours: ask its owner to add you.");
  return null;
}

/** Throws NOT_FOUND / FORBIDDEN unless `user` may observe the match (see {@link observerRefusal}). */
export async function assertObserverOf(db: Db, user: SessionUser, matchId: string): Promise<void> {
  if (!canObserve(user)) throw new CruxError("FORBIDDEN", "Only researchers can watch matches.");
  const match = await db.match.findUnique({ where: { id: matchId }, select: OBSERVED_MATCH_SELECT });
  if (!match) throw new CruxError("NOT_FOUND", "No such match.");
  const refusal = observerRefusal(user, match);
  if (refusal) throw refusal;
}
