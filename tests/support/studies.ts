import type { Db } from "../../lib/db/client";
import type { StudyConfigInput } from "../../lib/studies/config";
import { createStudy, launchStudy } from "../../lib/studies/repository";

/**
 * Study fixtures: a small synthetic question set (several questions per story, as in QuALITY) and a launched study
 * over it, written straight to a test database.
 */

/** Creates `stories` passages with `perStory` two-option questions each in question set `source`. */
export async function createSyntheticSet(
  db: Db,
  options: { source: string; stories: number; perStory: number },
): Promise<void> {
  for (let s = 0; s < options.stories; s++) {
    const passage = await db.passage.create({
      data: {
        source: options.source,
        externalId: `${options.source}-story-${s}`,
        title: `Story ${s}`,
        text: `Story ${s}. The lighthouse keeper counted ${s + 3} ships before the storm. She wrote it in her log.`,
        license: "test fixture",
      },
    });
    for (let q = 0; q < options.perStory; q++) {
      await db.question.create({
        data: {
          source: options.source,
          externalId: `${options.source}-q-${s}-${q}`,
          passageId: passage.id,
          text: `How many ships did the keeper count (story ${s}, question ${q})?`,
          options: [`${s + 3} ships`, `${s + 4} ships`],
          gold: (s + q) % 2 === 0 ? 0 : 1,
          tags: q === 0 ? ["first"] : [],
          license: "test fixture",
        },
      });
    }
  }
}

/** A researcher who owns test studies. */
export async function createResearcher(db: Db, email = `researcher-${Date.now()}-${Math.random()}@example.org`) {
  return db.user.create({ data: { role: "researcher", email } });
}

/** Creates and launches a study; returns its id and version. */
export async function createLaunchedStudy(db: Db, ownerId: string, config: StudyConfigInput) {
  const study = await createStudy(db, { ownerId, config });
  const version = await launchStudy(db, study.id);
  return { studyId: study.id, version };
}
