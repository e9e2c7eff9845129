import { z } from "zod";
import { type AuditActor, recordAudit } from "../auth/audit";
import { hasRole, type SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { CruxError } from "../errors";
import {
  type CorrectionKind,
  type CorrectionTargetKind,
  correctionKindSchema,
  correctionReasonSchema,
  correctionTargetKindSchema,
} from "./vocabulary";

/**
 * Corrections of a study's data. Verdicts, turns and matches are never edited: a researcher who finds a verdict
 * that should not count (a judge who misread the task, a match run with a broken model, a participant who turned out
 * to be a bot) records a correction — the target, `exclude` or `restore`, and the reason — as a new, append-only row.
 * A target's current state is its latest correction; the results leave out what is currently excluded and count it
 * under `corrected` (lib/analysis/results-sql.ts reads the same rule in SQL). Each correction is audited in the
 * transaction that records it.
 */

/** A correction as entered (the server action and `crux correct` parse with it). */
export const correctionInputSchema = z.object({
  studyId: z.string().trim().min(1).max(64),
  targetKind: correctionTargetKindSchema,
  targetId: z.string().trim().min(1, "Name the verdict, match or participant.").max(64),
  kind: correctionKindSchema,
  reason: correctionReasonSchema,
});
export type CorrectionInput = z.infer<typeof correctionInputSchema>;

export interface CorrectionRecord {
  id: number;
  studyId: string;
  matchId: string | null;
  targetKind: CorrectionTargetKind;
  targetId: string;
  kind: CorrectionKind;
  reason: string;
  actorId: string;
  createdAt: Date;
}

/** A client or a transaction. */
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The match a target belongs to (null for a participant), or NOT_FOUND when it is not the study's. */
async function resolveTarget(tx: Tx, studyId: string, kind: CorrectionTargetKind, id: string): Promise<string | null> {
  let found: { matchId: string | null } | null;
  if (kind === "verdict")
    found = await tx.verdict.findFirst({ where: { id, match: { studyId } }, select: { matchId: true } });
  else if (kind === "match")
    found = await tx.match
      .findFirst({ where: { id, studyId }, select: { id: true } })
      .then((m) => m && { matchId: m.id });
  else
    found = await tx.participant
      .findFirst({ where: { id, studyId }, select: { id: true } })
      .then((p) => p && { matchId: null });
  if (!found) throw new CruxError("NOT_FOUND", `This study has no ${kind} ${id}.`);
  return found.matchId;
}

/**
 * Records a correction and its audit entry, in one transaction. Refuses a target that is not the study's
 * (NOT_FOUND), excluding what is already excluded and restoring what is not (CONFLICT): each correction changes the
 * target's state, so the list reads as its history.
 */
export async function recordCorrection(
  db: Db,
  input: CorrectionInput & { actor: AuditActor },
): Promise<CorrectionRecord> {
  const { studyId, targetKind, targetId, kind, reason } = correctionInputSchema.parse(input);
  const { actor } = input;
  return db.$transaction(async (tx) => {
    const study = await tx.study.findUnique({ where: { id: studyId }, select: { id: true } });
    if (!study) throw new CruxError("NOT_FOUND", "No such study.");
    const matchId = await resolveTarget(tx, studyId, targetKind, targetId);
    const latest = await tx.correction.findFirst({
      where: { studyId, targetKind, targetId },
      orderBy: { id: "desc" },
      select: { kind: true },
    });
    const excluded = latest?.kind === "exclude";
    const name = `${targetKind} ${targetId}`;
    if (kind === "exclude" && excluded) throw new CruxError("CONFLICT", `The ${name} is already excluded.`);
    if (kind === "restore" && !excluded)
      throw new CruxError("CONFLICT", `The ${name} is not excluded: there is nothing to restore.`);
    const row = await tx.correction.create({
      data: { studyId, matchId, targetKind, targetId, kind, reason, actorId: actor.id },
    });
    await recordAudit(tx, {
      actor,
      action: kind === "exclude" ? "correction.exclude" : "correction.restore",
      target: `${targetKind}:${targetId}`,
      details: { studyId, correctionId: row.id, reason },
    });
    return toRecord(row);
  });
}

function toRecord(row: {
  id: number;
  studyId: string;
  matchId: string | null;
  targetKind: string;
  targetId: string;
  kind: string;
  reason: string;
  actorId: string;
  createdAt: Date;
}): CorrectionRecord {
  return {
    ...row,
    targetKind: correctionTargetKindSchema.parse(row.targetKind),
    kind: correctionKindSchema.parse(row.kind),
  };
}

/** A correction as listed: with the email of the account that made it (null once that account is gone). */
export interface ListedCorrection extends CorrectionRecord {
  actorEmail: string | null;
}

/** The study's corrections, newest first. */
export async function listCorrections(db: Db, studyId: string): Promise<ListedCorrection[]> {
  const rows = await db.correction.findMany({ where: { studyId }, orderBy: { id: "desc" } });
  const actors = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.actorId))] } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(actors.map((a) => [a.id, a.email]));
  return rows.map((row) => ({ ...toRecord(row), actorEmail: emailOf.get(row.actorId) ?? null }));
}

/** What is excluded now: the latest correction of each target whose latest correction is an `exclude`. */
export interface CorrectedTargets {
  verdicts: Set<string>;
  matches: Set<string>;
  participants: Set<string>;
  /** The matches left out by a verdict or match exclusion (a verdict's match included). */
  excludedMatchIds: Set<string>;
  /** The excluding corrections, newest first. */
  corrections: CorrectionRecord[];
}

/** The study's currently excluded targets (the last correction of a target wins). */
export async function correctedTargets(db: Db, studyId: string): Promise<CorrectedTargets> {
  const latest = new Map<string, CorrectionRecord>();
  for (const c of await listCorrections(db, studyId)) {
    const key = `${c.targetKind}:${c.targetId}`;
    if (!latest.has(key)) latest.set(key, c);
  }
  const result: CorrectedTargets = {
    verdicts: new Set(),
    matches: new Set(),
    participants: new Set(),
    excludedMatchIds: new Set(),
    corrections: [],
  };
  const sets = { verdict: result.verdicts, match: result.matches, participant: result.participants };
  for (const c of latest.values()) {
    if (c.kind !== "exclude") continue;
    sets[c.targetKind].add(c.targetId);
    if (c.matchId) result.excludedMatchIds.add(c.matchId);
    result.corrections.push(c);
  }
  return result;
}

/** Whether `user` may correct the study's data: its owner or an admin (researchers added to it see it, but may not). */
export function canCorrectStudy(user: SessionUser | null, study: { ownerId: string }): boolean {
  return hasRole(user, "admin") || (hasRole(user, "researcher") && user?.id === study.ownerId);
}
