import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../lib/db/client";
import { importDebates } from "../../lib/import/debates";
import { convertNyuRelease, findNyuRoomFiles, NYU_2023_LICENSE } from "../../lib/import/nyu-2023";

/** The NYU 2023 release, shared on this machine beside the project (see lib/import/nyu-2023.ts). */
export const NYU_RELEASE = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "nyu-debate-2023");

/**
 * Imports a slice of the release — its first `rooms` room files, converted one by one (each finds the release's
 * metadata above it) — as dataset `dataset`, owned by `ownerEmail`. Returns the match ids.
 */
export async function importNyuSlice(
  db: Db,
  options: { dataset: string; ownerEmail: string; rooms: number },
): Promise<{ studyId: string; matchIds: string[] }> {
  if (!fs.existsSync(NYU_RELEASE)) throw new Error(`the NYU 2023 release is not at ${NYU_RELEASE}`);
  const files = findNyuRoomFiles(NYU_RELEASE).slice(0, options.rooms);
  const debates = files.flatMap((file) => convertNyuRelease(file).debates);
  const result = await importDebates(db, {
    content: debates.map((d) => JSON.stringify(d)).join("\n"),
    dataset: options.dataset,
    license: NYU_2023_LICENSE,
    ownerEmail: options.ownerEmail,
  });
  if (!result.study || result.errors.length > 0 || result.imported === 0)
    throw new Error(`NYU slice import failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const matches = await db.match.findMany({ where: { studyId: result.study.studyId }, select: { id: true } });
  return { studyId: result.study.studyId, matchIds: matches.map((m) => m.id) };
}

/** A phrase of `words` words (a quote may start or end inside it) from the middle of a turn of `matchIds` (letters only, so it reads as plain words). */
export async function phraseFromATurn(
  db: Db,
  matchIds: string[],
  words = 6,
): Promise<{ turnId: string; matchId: string; phrase: string }> {
  const turns = await db.turn.findMany({
    where: { matchId: { in: matchIds } },
    select: { id: true, matchId: true, text: true },
    orderBy: [{ matchId: "asc" }, { round: "asc" }, { speaker: "asc" }],
  });
  for (const turn of turns) {
    // Quote marks are no word boundaries for a reader: a phrase may run into a quote.
    const plain = turn.text.replace(/<\/?quote>/g, " ").split(/\s+/);
    for (let start = Math.floor(plain.length / 2); start + words < plain.length; start++) {
      const slice = plain.slice(start, start + words);
      if (slice.every((w) => /^[A-Za-z]{3,}$/.test(w))) return { ...turn, turnId: turn.id, phrase: slice.join(" ") };
    }
  }
  throw new Error("no turn with a plain phrase");
}
