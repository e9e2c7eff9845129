import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { canObserve } from "../matches/access";
import { canAccessStudy } from "./repository";

/*
 * Watching a match depends on the study it belongs to (lib/matches/access.ts has the rest of the match rules):
 * this check sits in lib/studies, above lib/matches, so that the matches layer never imports studies.
 */

/** Throws NOT_FOUND / FORBIDDEN unless `user` may observe the match. */
export async function assertObserverOf(db: Db, user: SessionUser, matchId: string): Promise<void> {
  if (!canObserve(user)) throw new CruxError("FORBIDDEN", "Only researchers can watch matches.");
  const match = await db.match.findUnique({
    where: { id: matchId },
    select: { study: { select: { ownerId: true, members: { select: { userId: true } } } } },
  });
  if (!match) throw new CruxError("NOT_FOUND", "No such match.");
  const { study } = match;
  if (study && !canAccessStudy(user, { ownerId: study.ownerId, memberIds: study.members.map((m) => m.userId) }))
    throw new CruxError("FORBIDDEN", "This match belongs to a study that is not yours: ask its owner to add you.");
}
