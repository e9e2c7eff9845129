import type { Db } from "../db/client";
import { pseudonymiseJudge } from "./pseudonym";

/** What every table needs to know about the study, loaded once per export. */
export interface ExportContext {
  db: Db;
  studyId: string;
  batchSize: number;
  versions: Map<string, number>;
  /** Judge id as exported: the pseudonym, or the user id when pseudonymisation is off. */
  judge: (userId: string | null) => string | null;
  /** Known user ids → pseudonyms (empty when pseudonymisation is off), for free text such as event payloads. */
  pseudonyms: Map<string, string>;
}

export async function loadExportContext(
  db: Db,
  studyId: string,
  options: { pseudonymise: boolean; batchSize: number },
): Promise<ExportContext> {
  const versions = await db.studyVersion.findMany({ where: { studyId }, select: { id: true, version: true } });
  const pseudonyms = new Map<string, string>();
  if (options.pseudonymise) {
    const judges = await db.match.findMany({
      where: { studyId, judgeId: { not: null } },
      distinct: ["judgeId"],
      select: { judgeId: true },
    });
    for (const { judgeId } of judges) if (judgeId) pseudonyms.set(judgeId, pseudonymiseJudge(studyId, judgeId));
  }
  return {
    db,
    studyId,
    batchSize: options.batchSize,
    versions: new Map(versions.map((v) => [v.id, v.version])),
    judge: (userId) =>
      userId === null
        ? null
        : options.pseudonymise
          ? (pseudonyms.get(userId) ?? pseudonymiseJudge(studyId, userId))
          : userId,
    pseudonyms,
  };
}
