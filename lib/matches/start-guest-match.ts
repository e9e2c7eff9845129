import type { Db } from "../db/client";
import { createDebateMatch } from "./create";

/** The question sets a guest may play from the home page or the API. */
export const PLAYABLE_SOURCES = ["quality", "truthfulqa"] as const;

/** A new debate for a person judging in the browser, with the offline debaters (the default). */
export async function startJudgeMatch(
  db: Db,
  options: { judgeId: string; source?: (typeof PLAYABLE_SOURCES)[number] },
): Promise<{ id: string }> {
  return createDebateMatch(db, { judgeId: options.judgeId, source: options.source ?? "quality" });
}
