import { z } from "zod";
import type { Db } from "../db/client";
import {
  ACTIVE_MATCH_STATUSES,
  isSettledMatchStatus,
  type MatchStatus,
  SETTLED_MATCH_STATUSES,
  seatSchema,
} from "../debate/vocabulary";
import { createDebateMatch } from "../matches/create";
import { createRecordedMatch } from "../matches/recorded";
import { hashSeed } from "../random";
import { conditionDebaters, type StudyCondition } from "./config";
import type { Balance } from "./plan";
import { matchSetup } from "./plan";
import { findRecordedSource } from "./recorded-sources";
import { getStudyVersion, type StudyVersionRecord } from "./repository";

/**
 * Assignment of human judgments. The slots of a version are the quota: one row per planned judgment, claimed by
 * a conditional update (`status = open` → `assigned`), so two judges arriving at once can never take the same
 * slot on SQLite or PostgreSQL — the loser simply tries the next one. Judges get one match at a time, so a judge
 * who leaves holds at most one slot, which the dropout sweep frees.
 *
 * For each judge it picks: a condition the judge has done least of (ties broken along the judge's row of a Latin
 * square, so orders are balanced across judges), then the best-ranked open slot of that condition on a story the
 * judge has never seen (the NYU rule), falling back to other conditions only when that condition has nothing left.
 */

/** Ends a live match (the runner's `abandon` in the server; a plain status update where no runner runs). */
export type EndMatch = (matchId: string, reason: string) => Promise<void>;

export const balanceSchema = z.object({
  honestSeat: seatSchema,
  honestFirst: z.boolean(),
  goldFirst: z.boolean(),
});

export interface Assignment {
  slotId: string;
  matchId: string;
  condition: string;
}

export type NextAssignment =
  | { kind: "match"; assignment: Assignment }
  /** The judge has done all the matches asked of them. */
  | { kind: "finished"; done: number }
  /** No open slot the judge may take (the study is full, or every remaining story was already seen). */
  | { kind: "full"; done: number };

/** How many candidate slots a claim chooses among, at random, so simultaneous arrivals rarely collide. */
const SPREAD = 6;
const MAX_CLAIM_ATTEMPTS = 20;

/**
 * The participant's current match, or a new one. Marks a finished current slot done, reopens one whose match
 * errored, and sweeps expired slots of the version first so a dropped-out judge's slot is available at once.
 */
export async function assignNext(
  db: Db,
  participantId: string,
  options: { endMatch: EndMatch; now?: Date; random?: () => number },
): Promise<NextAssignment> {
  const participant = await db.participant.findUniqueOrThrow({ where: { id: participantId } });
  const version = await getStudyVersion(db, participant.versionId);
  const { config } = version.frozen;
  const now = options.now ?? new Date();
  // Whoever asks next, a slot whose match failed goes back to the pool (its holder included: see below).
  await releaseErroredSlots(db, version.id);

  const held = await db.slot.findMany({
    where: { participantId, status: "assigned" },
    include: { matches: { select: { id: true, status: true } } },
  });
  for (const slot of held) {
    const match = slot.matches.find((m) => m.id === slot.matchId);
    if (match && !isSettledMatchStatus(match.status))
      return { kind: "match", assignment: { slotId: slot.id, matchId: match.id, condition: slot.condition } };
    if (match?.status === "complete") await db.slot.update({ where: { id: slot.id }, data: { status: "done" } });
    else await reopenSlot(db, slot.id, participantId);
  }

  const history = await db.match.findMany({
    where: { judgeId: participant.userId, studyId: participant.studyId, practice: false },
    select: { status: true, condition: true, slot: { select: { storyKey: true } } },
  });
  const done = history.filter((m) => m.status === "complete");
  // A match that failed on our side counts as one of the participant's matches: they did their part, and a model
  // that keeps failing must not keep them on "Match 1 of n" (its slot goes back to the pool for someone else).
  const over = history.filter((m) => countsAsDone(m.status)).length;
  if (over >= config.questionsPerJudge) return { kind: "finished", done: over };

  await sweepDropouts(db, version, { endMatch: options.endMatch, now });

  const seen = new Set(history.flatMap((m) => (m.slot ? [m.slot.storyKey] : [])));
  const counts = new Map(config.conditions.map((c) => [c.name, 0]));
  for (const m of done) if (m.condition) counts.set(m.condition, (counts.get(m.condition) ?? 0) + 1);
  const random = options.random ?? Math.random;

  for (const condition of conditionPreference(config.conditions, counts, participant.ordinal + done.length)) {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const candidates = await db.slot.findMany({
        where: { versionId: version.id, condition: condition.name, status: "open", storyKey: { notIn: [...seen] } },
        orderBy: { rank: "asc" },
        take: SPREAD,
        select: { id: true },
      });
      if (candidates.length === 0) break;
      const pick = candidates[Math.floor(random() * candidates.length)] ?? candidates[0];
      if (!pick) break;
      const claimed = await db.slot.updateMany({
        where: { id: pick.id, status: "open" },
        data: { status: "assigned", participantId, assignedAt: now },
      });
      if (claimed.count === 1)
        return { kind: "match", assignment: await startSlotMatch(db, version, condition, pick.id, participant) };
    }
  }
  return { kind: "full", done: over };
}

/** The statuses of a participant's matches that count towards the matches asked of them. */
const DONE_FOR_PARTICIPANT: readonly MatchStatus[] = ["complete", "errored"];

/** Whether a participant's match counts towards the matches asked of them: judged, or failed on our side. */
export function countsAsDone(status: string): boolean {
  return (DONE_FOR_PARTICIPANT as readonly string[]).includes(status);
}

/**
 * Gives back the slots whose match errored (a model failed, or the server did): the planned judgment is still to
 * be made, by the next judge who may take it. The participant who held it is offered their next match.
 */
export async function releaseErroredSlots(db: Db, versionId: string): Promise<number> {
  const failed = await db.slot.findMany({
    where: { versionId, status: "assigned", matches: { some: { status: "errored" } } },
    select: { id: true, participantId: true, matchId: true, matches: { select: { id: true, status: true } } },
  });
  let released = 0;
  for (const slot of failed) {
    const current = slot.matches.find((m) => m.id === slot.matchId);
    if (slot.participantId && current?.status === "errored" && (await reopenSlot(db, slot.id, slot.participantId)))
      released++;
  }
  return released;
}

/**
 * Conditions in the order to try: fewest done by this judge first; ties broken by the judge's Latin-square row
 * (`row` = arrival ordinal + matches done), which rotates the starting condition from one judge to the next.
 */
export function conditionPreference(
  conditions: readonly StudyCondition[],
  counts: ReadonlyMap<string, number>,
  row: number,
): StudyCondition[] {
  const n = conditions.length;
  const rotation = (index: number) => (index - (row % n) + n) % n;
  return conditions
    .map((condition, index) => ({ condition, index }))
    .sort(
      (a, b) =>
        (counts.get(a.condition.name) ?? 0) - (counts.get(b.condition.name) ?? 0) ||
        rotation(a.index) - rotation(b.index),
    )
    .map((entry) => entry.condition);
}

async function startSlotMatch(
  db: Db,
  version: StudyVersionRecord,
  condition: StudyCondition,
  slotId: string,
  participant: { id: string; userId: string; studyId: string },
): Promise<Assignment> {
  try {
    const slot = await db.slot.findUniqueOrThrow({
      where: { id: slotId },
      select: { questionId: true, balance: true, replicate: true, question: { select: { gold: true } } },
    });
    const match = await createConditionMatch(db, version, condition, {
      questionId: slot.questionId,
      gold: slot.question.gold,
      balance: balanceSchema.parse(slot.balance),
      judgeId: participant.userId,
      link: { slotId },
      seedParts: [slotId],
    });
    await db.slot.update({ where: { id: slotId }, data: { matchId: match.id } });
    return { slotId, matchId: match.id, condition: condition.name };
  } catch (error) {
    // Never keep a slot nobody can play.
    await reopenSlot(db, slotId, participant.id);
    throw error;
  }
}

/**
 * A match of a study condition: its protocol settings and models, the plan's counterbalancing, the study link. A
 * recorded condition's match replays the source debate frozen for its question (lib/studies/recorded-sources.ts),
 * with the plan's screen order.
 */
export async function createConditionMatch(
  db: Db,
  version: StudyVersionRecord,
  condition: StudyCondition,
  input: {
    questionId: string;
    gold: number;
    balance: Balance;
    judgeId?: string | null;
    judgeModel?: string | null;
    link: { slotId?: string; runId?: string; planKey?: string; practice?: boolean };
    seedParts: Array<string | number>;
  },
): Promise<{ id: string }> {
  const seed = hashSeed(version.configHash, ...input.seedParts) % 2_147_483_647;
  const judgeTimeLimitMs = condition.judgeTimeLimitSeconds === null ? null : condition.judgeTimeLimitSeconds * 1000;
  const study = {
    studyId: version.studyId,
    studyVersionId: version.id,
    condition: condition.name,
    configHash: version.configHash,
    ...input.link,
  };
  if (condition.protocol === "recorded")
    return createRecordedMatch(db, {
      sourceMatchId: await findRecordedSource(db, version.frozen, condition.name, input.questionId),
      mode: condition.mode,
      judgeId: input.judgeId ?? null,
      judgeModel: input.judgeModel ?? null,
      seed,
      goldFirst: input.balance.goldFirst,
      config: {
        scoring: condition.scoring,
        sampling: condition.sampling,
        judgeTimeLimitMs,
        submitDraftOnTimeout: condition.submitDraftOnTimeout,
      },
      study,
    });
  return createDebateMatch(db, {
    questionId: input.questionId,
    judgeId: input.judgeId ?? null,
    judgeModel: input.judgeModel ?? null,
    debaterModels: conditionDebaters(condition),
    seed,
    setup: matchSetup(input.balance, input.gold),
    config: {
      protocol: condition.protocol,
      rounds: condition.rounds,
      wordLimit: condition.wordLimit,
      scoring: condition.scoring,
      sampling: condition.sampling,
      judgeTimeLimitMs,
      submitDraftOnTimeout: condition.submitDraftOnTimeout,
    },
    study,
  });
}

/** Gives a slot back to the pool (only if it is still held by that participant). */
export async function reopenSlot(db: Db, slotId: string, participantId: string): Promise<boolean> {
  const result = await db.slot.updateMany({
    where: { id: slotId, participantId, status: "assigned" },
    data: { status: "open", participantId: null, matchId: null, assignedAt: null },
  });
  return result.count === 1;
}

/**
 * Frees the slots of judges who have shown no sign of life for the study's dropout time: their unfinished match is
 * ended as abandoned (and kept), the slot reopens for the next judge. A slot whose match finished is marked done.
 */
export async function sweepDropouts(
  db: Db,
  version: StudyVersionRecord,
  options: { endMatch: EndMatch; now?: Date },
): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - version.frozen.config.dropoutMinutes * 60_000);
  const stale = await db.slot.findMany({
    where: { versionId: version.id, status: "assigned", participant: { lastSeenAt: { lt: cutoff } } },
    select: { id: true, participantId: true, matchId: true, matches: { select: { id: true, status: true } } },
  });
  let freed = 0;
  for (const slot of stale) {
    if (!slot.participantId) continue;
    const match = slot.matches.find((m) => m.id === slot.matchId);
    if (match?.status === "complete") {
      await db.slot.updateMany({ where: { id: slot.id, status: "assigned" }, data: { status: "done" } });
      continue;
    }
    if (await reopenSlot(db, slot.id, slot.participantId)) {
      freed++;
      if (match && !isSettledMatchStatus(match.status))
        await options.endMatch(match.id, "The judge left: no sign of life within the study's dropout time.");
    }
  }
  return freed;
}

/**
 * The dropout rule for every study at once, run on the server's idle-match beat: by itself a version's sweep runs
 * only when its next participant arrives, so a study nobody else joins would keep its dropouts' matches running
 * (and in memory) for good. Sweeps each version where a slot is held, and ends the unfinished practice matches
 * (which hold no slot) of participants absent for their study's dropout time. Returns the slots freed.
 */
export async function sweepAllDropouts(db: Db, options: { endMatch: EndMatch; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const held = await db.slot.findMany({
    where: { status: "assigned" },
    distinct: ["versionId"],
    select: { versionId: true },
  });
  const practice = await db.match.findMany({
    where: {
      practice: true,
      judgeModel: null,
      status: { in: [...ACTIVE_MATCH_STATUSES] },
      studyVersionId: { not: null },
    },
    select: { id: true, judgeId: true, studyVersionId: true },
  });
  const versionIds = new Set([...held.map((s) => s.versionId), ...practice.flatMap((m) => m.studyVersionId ?? [])]);
  let freed = 0;
  for (const versionId of versionIds) {
    const version = await getStudyVersion(db, versionId);
    if (held.some((s) => s.versionId === versionId)) freed += await sweepDropouts(db, version, { ...options, now });
    const cutoff = new Date(now.getTime() - version.frozen.config.dropoutMinutes * 60_000);
    const judges = practice.filter((m) => m.studyVersionId === versionId && m.judgeId);
    const absent = await db.participant.findMany({
      where: { versionId, userId: { in: judges.flatMap((m) => m.judgeId ?? []) }, lastSeenAt: { lt: cutoff } },
      select: { userId: true },
    });
    const gone = new Set(absent.map((p) => p.userId));
    for (const match of judges)
      if (match.judgeId && gone.has(match.judgeId))
        await options.endMatch(match.id, "The judge left: no sign of life within the study's dropout time.");
  }
  return freed;
}

/** EndMatch for processes without a runner (CLI, tests): writes the status; turns and steps are kept. */
export function endMatchInDatabase(db: Db): EndMatch {
  return async (matchId, reason) => {
    const status: MatchStatus = "abandoned";
    await db.match.updateMany({
      where: { id: matchId, status: { notIn: [...SETTLED_MATCH_STATUSES] } },
      data: { status, error: reason, endedAt: new Date() },
    });
    await db.event.create({ data: { matchId, type: "match.abandoned", payload: { error: reason } } });
  };
}
