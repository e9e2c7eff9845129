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

/**
 * Throws NOT_FOUND / FORBIDDEN unless `user` may observe the match. The match's own judge may not until it is
 * settled, whatever their role: the observer's view carries the story and the answer the judge must not see.
 */
export async function assertObserverOf(db: Db, user: SessionUser, matchId: string): Promise<void> {
  if (!canObserve(user)) throw new CruxError("FORBIDDEN", "Only researchers can watch matches.");
  const match = await db.match.findUnique({
    where: { id: matchId },
    select: {
      judgeId: true,
      status: true,
      study: { select: { ownerId: true, members: { select: { userId: true } } } },
    },
  });
  if (!match) throw new CruxError("NOT_FOUND", "No such match.");
  if (match.judgeId === user.id && !isSettledMatchStatus(match.status))
    throw new CruxError("FORBIDDEN", JUDGING_THIS_MATCH);
  const { study } = match;
  if (study && !canAccessStudy(user, { ownerId: study.ownerId, memberIds: study.members.map((m) => m.userId) }))
    throw new CruxError("FORBIDDEN", "This match belongs to a study that is not yours: ask its owner to add you.");
}
