import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { frozenStudySchema, type SurveyQuestion } from "../studies/config";
import { ensureExportKey, pseudonymiseExternal, pseudonymiseJudge } from "./pseudonym";

/** What every table needs to know about the study, loaded once per export. */
export interface ExportContext {
  db: Db;
  studyId: string;
  /** The study's matches the match tables export: all, or with a tag filter those carrying every tag (MatchTag). */
  matchWhere: Prisma.MatchWhereInput;
  batchSize: number;
  /** Version id → its number and its survey's questions. */
  versions: Map<string, { version: number; survey: SurveyQuestion[] }>;
  /** Judge id as exported: the pseudonym, or the user id in a raw export. */
  judge: (userId: string | null) => string | null;
  /** A recruiting platform's id as exported: the pseudonym, or the id itself in a raw export. */
  external: (id: string | null) => string | null;
  /** Known user ids → pseudonyms (empty in a raw export), for free text such as event payloads. */
  pseudonyms: Map<string, string>;
}

export async function loadExportContext(
  db: Db,
  studyId: string,
  options: { raw: boolean; batchSize: number; tags?: readonly string[] },
): Promise<ExportContext> {
  const rows = await db.studyVersion.findMany({
    where: { studyId },
    select: { id: true, version: true, config: true },
  });
  const versions = new Map(
    rows.map((v) => {
      const frozen = frozenStudySchema.safeParse(v.config);
      return [v.id, { version: v.version, survey: frozen.success ? frozen.data.config.survey : [] }] as const;
    }),
  );
  const key = await ensureExportKey(db, studyId);
  const pseudonyms = new Map<string, string>();
  if (!options.raw) {
    const [judges, participants] = await Promise.all([
      db.match.findMany({
        where: { studyId, judgeId: { not: null } },
        distinct: ["judgeId"],
        select: { judgeId: true },
      }),
      db.participant.findMany({ where: { studyId }, select: { userId: true } }),
    ]);
    for (const id of [...judges.map((j) => j.judgeId), ...participants.map((p) => p.userId)])
      if (id) pseudonyms.set(id, pseudonymiseJudge(key, id));
  }
  const tags = options.tags ?? [];
  return {
    db,
    studyId,
    matchWhere: tags.length > 0 ? { studyId, AND: tags.map((tag) => ({ tags: { some: { tag } } })) } : { studyId },
    batchSize: options.batchSize,
    versions,
    judge: (userId) =>
      userId === null || options.raw ? userId : (pseudonyms.get(userId) ?? pseudonymiseJudge(key, userId)),
    external: (id) => (id === null || options.raw ? id : pseudonymiseExternal(key, id)),
    pseudonyms,
  };
}
