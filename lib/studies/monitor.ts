import { z } from "zod";
import type { Db } from "../db/client";
import { ACTIVE_MATCH_STATUSES, isSettledMatchStatus } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { type EndMatch, reopenSlot } from "./assignment";
import { getStudyVersion } from "./repository";
import { type ErrorReason, topReasons } from "./run";

/**
 * The researcher's live view of a study's current version — who is taking part, where each one is, how full the
 * quota is, which matches need attention — and the three interventions it offers: end a match, reassign a slot,
 * remove a participant. Every intervention first checks that what it touches belongs to the study, so an id from
 * another study is NOT_FOUND whatever the caller's rights there. Plain JSON-ready data (dates as ISO strings): the
 * monitor page polls it through a route handler.
 */

/** A participant counts as online when seen within this window. */
export const ONLINE_WINDOW_MS = 2 * 60_000;
/** A match not over with no turn, judge step or start for this long is listed as stuck. */
export const STUCK_AFTER_MS = 5 * 60_000;
/** Cap on the stuck and errored lists (newest first), so a broken model cannot make the page unusable. */
const PROBLEM_LIMIT = 50;

export interface MonitorMatch {
  id: string;
  /** The study condition; null for a practice match. */
  condition: string | null;
  practice: boolean;
  /** The slot the match fills (null for practice and automated matches). */
  slotId: string | null;
  status: string;
  /** The round the judge is on: judge steps taken + 1, at most the match's rounds. */
  round: number;
  rounds: number | null;
  /** Seconds since the match's last turn, judge step, or start. */
  secondsOnStep: number;
}

export interface MonitorParticipant {
  id: string;
  externalId: string | null;
  ordinal: number;
  stage: string;
  status: string;
  online: boolean;
  lastSeenAt: string;
  /** Real (non-practice) matches completed, of the number each participant judges. */
  done: number;
  total: number;
  current: MonitorMatch | null;
}

export interface SlotFill {
  condition: string;
  open: number;
  assigned: number;
  done: number;
  total: number;
}

/** A match that needs a look: stuck (no activity, or never joined) or errored. */
export interface ProblemMatch {
  id: string;
  condition: string | null;
  status: string;
  /** The participant judging it (human matches), else null (automated runs). */
  participantId: string | null;
  runId: string | null;
  slotId: string | null;
  secondsIdle: number;
  error: string | null;
}

export interface StudyMonitor {
  studyId: string;
  version: { id: string; number: number; configHash: string } | null;
  generatedAt: string;
  participants: MonitorParticipant[];
  slots: SlotFill[];
  stuck: ProblemMatch[];
  errored: ProblemMatch[];
  /** Why the version's matches errored (all of them, not only the newest listed), grouped, most frequent first. */
  errorReasons: ErrorReason[];
}

const roundsSchema = z.object({ rounds: z.int().min(1) }).catch({ rounds: 0 });

const activitySelect = {
  id: true,
  judgeId: true,
  condition: true,
  practice: true,
  status: true,
  error: true,
  slotId: true,
  runId: true,
  config: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  _count: { select: { judgeSteps: true } },
  turns: { select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: 1 },
  judgeSteps: { select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: 1 },
} as const;

type ActivityRow = {
  id: string;
  judgeId: string | null;
  condition: string | null;
  practice: boolean;
  status: string;
  error: string | null;
  slotId: string | null;
  runId: string | null;
  config: unknown;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  _count: { judgeSteps: number };
  turns: Array<{ createdAt: Date }>;
  judgeSteps: Array<{ createdAt: Date }>;
};

/** The last sign of progress of a match: its newest turn or judge step, else its start, else its creation. */
function lastActivity(row: ActivityRow): Date {
  const times = [row.startedAt ?? row.createdAt, row.turns[0]?.createdAt, row.judgeSteps[0]?.createdAt];
  return new Date(Math.max(...times.flatMap((t) => (t ? [t.getTime()] : []))));
}

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

function toMonitorMatch(row: ActivityRow, now: Date): MonitorMatch {
  const rounds = roundsSchema.parse(row.config).rounds || null;
  const round = row._count.judgeSteps + 1;
  return {
    id: row.id,
    condition: row.practice ? null : row.condition,
    practice: row.practice,
    slotId: row.slotId,
    status: row.status,
    round: rounds ? Math.min(round, rounds) : round,
    rounds,
    secondsOnStep: seconds(now.getTime() - lastActivity(row).getTime()),
  };
}

/** The monitor of a study's current version at `now` (empty lists before the first launch). */
export async function getStudyMonitor(db: Db, studyId: string, now: Date = new Date()): Promise<StudyMonitor> {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { currentVersionId: true } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  const empty = { participants: [], slots: [], stuck: [], errored: [], errorReasons: [] };
  if (!study.currentVersionId) return { studyId, version: null, generatedAt: now.toISOString(), ...empty };
  const version = await getStudyVersion(db, study.currentVersionId);
  const { config } = version.frozen;

  const [participants, active, errored, completed, slots, reasons] = await Promise.all([
    db.participant.findMany({
      where: { versionId: version.id },
      orderBy: { ordinal: "asc" },
      include: { slots: { where: { status: "assigned" }, select: { matchId: true } } },
    }),
    db.match.findMany({
      where: { studyVersionId: version.id, status: { in: [...ACTIVE_MATCH_STATUSES] } },
      select: activitySelect,
      orderBy: { createdAt: "desc" },
    }),
    db.match.findMany({
      where: { studyVersionId: version.id, status: "errored" },
      select: activitySelect,
      orderBy: { createdAt: "desc" },
      take: PROBLEM_LIMIT,
    }),
    db.match.groupBy({
      by: ["judgeId"],
      where: { studyVersionId: version.id, status: "complete", practice: false, judgeId: { not: null } },
      _count: { _all: true },
    }),
    getSlotFill(
      db,
      version.id,
      config.conditions.map((c) => c.name),
    ),
    db.match.groupBy({
      by: ["error"],
      where: { studyVersionId: version.id, status: "errored" },
      _count: { _all: true },
    }),
  ]);

  const participantOf = new Map(participants.map((p) => [p.userId, p.id]));
  const doneBy = new Map(completed.map((g) => [g.judgeId, g._count._all]));
  const activeById = new Map(active.map((m) => [m.id, m]));
  const activeByJudge = new Map<string, ActivityRow[]>();
  for (const m of active) if (m.judgeId) activeByJudge.set(m.judgeId, [...(activeByJudge.get(m.judgeId) ?? []), m]);

  const problem = (row: ActivityRow): ProblemMatch => ({
    id: row.id,
    condition: row.condition,
    status: row.status,
    participantId: row.judgeId ? (participantOf.get(row.judgeId) ?? null) : null,
    runId: row.runId,
    slotId: row.slotId,
    secondsIdle: seconds(now.getTime() - lastActivity(row).getTime()),
    error: row.error,
  });

  return {
    studyId,
    version: { id: version.id, number: version.version, configHash: version.configHash },
    generatedAt: now.toISOString(),
    participants: participants.map((p) => {
      // The match of the slot they hold; else (practice stage) their practice match if it is not over.
      const held = p.slots.flatMap((s) => (s.matchId ? [activeById.get(s.matchId)] : [])).find(Boolean);
      const current = held ?? activeByJudge.get(p.userId)?.find((m) => m.practice);
      return {
        id: p.id,
        externalId: p.externalId,
        ordinal: p.ordinal,
        stage: p.stage,
        status: p.status,
        online: now.getTime() - p.lastSeenAt.getTime() <= ONLINE_WINDOW_MS,
        lastSeenAt: p.lastSeenAt.toISOString(),
        done: doneBy.get(p.userId) ?? 0,
        total: config.questionsPerJudge,
        current: current ? toMonitorMatch(current, now) : null,
      };
    }),
    slots,
    stuck: active
      .filter((m) => now.getTime() - lastActivity(m).getTime() > STUCK_AFTER_MS)
      .slice(0, PROBLEM_LIMIT)
      .map(problem),
    errored: errored.map(problem),
    errorReasons: topReasons(
      reasons.map((g) => ({ reason: g.error ?? "no reason was recorded", count: g._count._all })),
    ),
  };
}

/** Slots of a version by condition and status, in the given condition order (others after). */
export async function getSlotFill(db: Db, versionId: string, conditions: readonly string[] = []): Promise<SlotFill[]> {
  const groups = await db.slot.groupBy({
    by: ["condition", "status"],
    where: { versionId },
    _count: { _all: true },
  });
  const names = [...new Set([...conditions, ...groups.map((g) => g.condition)])];
  return names.map((condition) => {
    const count = (status: string) =>
      groups.find((g) => g.condition === condition && g.status === status)?._count._all ?? 0;
    const fill = { condition, open: count("open"), assigned: count("assigned"), done: count("done") };
    return { ...fill, total: fill.open + fill.assigned + fill.done };
  });
}

/** Ends a match of the study when it is not over (kept as abandoned), and frees the slot it held. */
export async function endStudyMatch(
  db: Db,
  studyId: string,
  matchId: string,
  endMatch: EndMatch,
): Promise<{ reopened: boolean }> {
  const match = await db.match.findUnique({
    where: { id: matchId },
    select: { studyId: true, status: true, slotId: true },
  });
  if (!match || match.studyId !== studyId) throw new CruxError("NOT_FOUND", "No such match in this study.");
  if (match.status === "complete") throw new CruxError("CONFLICT", "This match is finished: its judgment stands.");
  if (!isSettledMatchStatus(match.status)) await endMatch(matchId, "Ended by a researcher.");
  if (!match.slotId) return { reopened: false };
  const slot = await db.slot.findUnique({
    where: { id: match.slotId },
    select: { matchId: true, participantId: true },
  });
  if (!slot?.participantId || slot.matchId !== matchId) return { reopened: false };
  return { reopened: await reopenSlot(db, match.slotId, slot.participantId) };
}

/**
 * Takes a slot back from its participant: their match is ended (kept as abandoned) and the slot reopens for the
 * next judge; the participant is given another match on their next step.
 */
export async function reassignSlot(db: Db, studyId: string, slotId: string, endMatch: EndMatch): Promise<void> {
  const slot = await db.slot.findUnique({
    where: { id: slotId },
    select: { status: true, participantId: true, matchId: true, version: { select: { studyId: true } } },
  });
  if (!slot || slot.version.studyId !== studyId) throw new CruxError("NOT_FOUND", "No such slot in this study.");
  if (slot.status !== "assigned" || !slot.participantId)
    throw new CruxError("CONFLICT", "This slot is not held by anyone.");
  if (slot.matchId) {
    const match = await db.match.findUnique({ where: { id: slot.matchId }, select: { status: true } });
    if (match?.status === "complete") throw new CruxError("CONFLICT", "This slot's match is finished.");
    if (match && !isSettledMatchStatus(match.status)) await endMatch(slot.matchId, "Slot reassigned by a researcher.");
  }
  await reopenSlot(db, slotId, slot.participantId);
}

/**
 * Removes a participant: they are finished with status "removed" and the study's `removed` completion code, their
 * current match (and a practice match in progress) is ended, and the slot they held reopens.
 */
export async function removeParticipant(
  db: Db,
  studyId: string,
  participantId: string,
  endMatch: EndMatch,
): Promise<{ completionCode: string }> {
  const participant = await db.participant.findUnique({
    where: { id: participantId },
    include: { slots: { where: { status: "assigned" }, select: { id: true, matchId: true } } },
  });
  if (!participant || participant.studyId !== studyId)
    throw new CruxError("NOT_FOUND", "No such participant in this study.");
  if (participant.stage === "done" || participant.status !== "active")
    throw new CruxError("CONFLICT", "This participant has already finished the study.");
  const { config } = (await getStudyVersion(db, participant.versionId)).frozen;
  const completionCode = config.completion.codes.removed;
  await db.participant.update({
    where: { id: participant.id },
    data: { status: "removed", stage: "done", completionCode, finishedAt: new Date() },
  });
  const open = await db.match.findMany({
    where: { judgeId: participant.userId, studyId, status: { in: [...ACTIVE_MATCH_STATUSES] } },
    select: { id: true },
  });
  for (const match of open) await endMatch(match.id, "The participant was removed by a researcher.");
  for (const slot of participant.slots) {
    const match = slot.matchId
      ? await db.match.findUnique({ where: { id: slot.matchId }, select: { status: true } })
      : null;
    // A judgment they finished stands; only unfinished work goes back to the pool.
    if (match?.status === "complete")
      await db.slot.updateMany({ where: { id: slot.id, status: "assigned" }, data: { status: "done" } });
    else await reopenSlot(db, slot.id, participant.id);
  }
  return { completionCode };
}
