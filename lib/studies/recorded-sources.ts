import type { Db } from "../db/client";
import { seatsOf } from "../debate/protocols";
import { RECORDED_SOURCE_PROTOCOLS, recordedSourceProtocolSchema, seatSchema } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { replayableRounds } from "../matches/recorded";
import { storedStringsSchema } from "../questions/schema";
import { hashSeed, mulberry32, shuffle } from "../random";
import {
  describeRecordedSource,
  type FrozenStudy,
  isRecordedCondition,
  type RecordedSourceFilter,
  type StudyConfig,
} from "./config";
import type { PlanSource } from "./plan";

/**
 * The debates a study's recorded conditions replay: drawn from their source at launch (seeded, so the same design
 * gets the same debates) and frozen into the version, which is what keeps the plan stable whatever the source
 * gains later. The data side of recorded conditions; the plan (./plan.ts) and match creation (./assignment.ts) read
 * the frozen ids.
 */

/** The study a source names, by id first, then by name (refused when several studies have that name). */
async function findSourceStudy(db: Db, name: string): Promise<{ id: string; name: string }> {
  const byId = await db.study.findUnique({ where: { id: name }, select: { id: true, name: true } });
  if (byId) return byId;
  const named = await db.study.findMany({ where: { name }, select: { id: true, name: true } });
  if (named.length > 1)
    throw new CruxError("BAD_REQUEST", `Several studies are named "${name}": name the source study by its id.`);
  const [study] = named;
  if (!study) throw new CruxError("BAD_REQUEST", `No study or imported dataset named "${name}" to draw debates from.`);
  return study;
}

/**
 * The source's debates a filter keeps: finished debates and consultancies with at least one whole round to replay,
 * of the filter's condition and protocol, carrying every tag (on the match or its question, case-insensitive), in
 * plan-key order (an imported debate's id in its dataset), then id order.
 */
async function listSourceCandidates(
  db: Db,
  studyId: string,
  filter: RecordedSourceFilter,
): Promise<Array<{ id: string; questionId: string }>> {
  const rows = await db.match.findMany({
    where: {
      studyId,
      status: "complete",
      practice: false,
      protocol: filter.protocol ?? { in: [...RECORDED_SOURCE_PROTOCOLS] },
      ...(filter.condition ? { condition: filter.condition } : {}),
    },
    select: {
      id: true,
      planKey: true,
      protocol: true,
      questionId: true,
      question: { select: { tags: true } },
      tags: { select: { tag: true } },
      turns: { select: { round: true, speaker: true } },
    },
  });
  const wanted = filter.tags.map((t) => t.toLowerCase());
  // An imported debate's plan key is its id in the dataset: sorted by code unit (not by the database's collation),
  // the order — and so the draw — is the same on any install and either database.
  const key = (row: { planKey: string | null; id: string }) => [row.planKey ?? "", row.id] as const;
  rows.sort((a, b) => {
    const [pa, ia] = key(a);
    const [pb, ib] = key(b);
    return pa < pb ? -1 : pa > pb ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  return rows.filter((row) => {
    const protocol = recordedSourceProtocolSchema.safeParse(row.protocol);
    if (!protocol.success) return false;
    const have = new Set([
      ...row.tags.map((t) => t.tag.toLowerCase()),
      ...storedStringsSchema
        .catch([])
        .parse(row.question.tags)
        .map((t) => t.toLowerCase()),
    ]);
    if (!wanted.every((tag) => have.has(tag))) return false;
    const turns = row.turns.flatMap((t) => {
      const speaker = seatSchema.safeParse(t.speaker);
      return speaker.success ? [{ round: t.round, speaker: speaker.data }] : [];
    });
    return replayableRounds(turns, seatsOf(protocol.data)) > 0;
  });
}

/**
 * Draws each recorded condition's debates (launch): the candidates shuffled with the source's seed, one per question,
 * the first `count` (all by default). Refuses, with what the source holds, a source that does not exist, is the study
 * itself, or has fewer matching debates than asked. Undefined when the design has no recorded condition.
 */
export async function drawRecordedSources(
  db: Db,
  studyId: string,
  config: StudyConfig,
): Promise<Record<string, string[]> | undefined> {
  const recorded = config.conditions.filter(isRecordedCondition);
  if (recorded.length === 0) return undefined;
  const drawn: Record<string, string[]> = {};
  for (const condition of recorded) {
    const { source } = condition;
    const study = await findSourceStudy(db, source.study);
    if (study.id === studyId)
      throw new CruxError("BAD_REQUEST", `Condition ${condition.name}: a study cannot replay its own debates.`);
    const candidates = await listSourceCandidates(db, study.id, source);
    const random = mulberry32(hashSeed("recorded-sources", source.seed));
    const perQuestion = new Map<string, string>();
    for (const c of shuffle(candidates, random))
      if (!perQuestion.has(c.questionId)) perQuestion.set(c.questionId, c.id);
    const available = [...perQuestion.values()];
    const wanted = source.count ?? available.length;
    if (available.length === 0 || available.length < wanted) {
      const asked = source.count === undefined ? "" : `; the condition asks for ${source.count}`;
      throw new CruxError(
        "BAD_REQUEST",
        `Condition ${condition.name}: ${describeRecordedSource(source)} — the source has ${available.length} ` +
          `finished, replayable debates on different questions that match${asked}.`,
      );
    }
    drawn[condition.name] = available.slice(0, wanted);
  }
  return drawn;
}

/** The frozen source debates with their question and story, for the plan. */
export async function loadPlanSources(db: Db, frozen: FrozenStudy): Promise<PlanSource[]> {
  const ids = Object.values(frozen.recordedSources ?? {}).flat();
  if (ids.length === 0) return [];
  const rows = await db.match.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, questionId: true, question: { select: { passageId: true } } },
  });
  return rows.map((r) => ({ matchId: r.id, questionId: r.questionId, storyKey: r.question.passageId ?? r.questionId }));
}

/** The source debate a recorded condition replays on `questionId` (one per question: see `drawRecordedSources`). */
export async function findRecordedSource(
  db: Db,
  frozen: FrozenStudy,
  condition: string,
  questionId: string,
): Promise<string> {
  const ids = frozen.recordedSources?.[condition] ?? [];
  const row = await db.match.findFirst({ where: { id: { in: ids }, questionId }, select: { id: true } });
  if (!row) throw new CruxError("NOT_FOUND", `Condition ${condition} has no source debate on this question.`);
  return row.id;
}

/** The questions of the frozen source debates (free play must not serve them while the study runs). */
export async function listRecordedSourceQuestions(db: Db, frozen: FrozenStudy): Promise<string[]> {
  return (await loadPlanSources(db, frozen)).map((s) => s.questionId);
}
