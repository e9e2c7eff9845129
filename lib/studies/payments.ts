import type { Db } from "../db/client";
import { bonusAmount, bonusFile, type Currency, meanScore, type PayConfig, roundToCents } from "./bonus";
import { getStudyVersion } from "./repository";
import { type ParticipantStatus, participantStatusSchema } from "./vocabulary";

/**
 * What each participant of a study is owed: the base pay and the bonus of their version's pay rule (./bonus.ts),
 * from the scores of their judged study matches (practice excluded; each verdict's stored score, the one they were
 * shown). Only participants who completed the study are paid; the others are listed with 0 so the table accounts
 * for everyone who arrived.
 */

/** One participant's payment. Amounts in `currency`, in whole cents. */
export interface PaymentRow {
  participantId: string;
  /** The recruiting platform's id (Prolific's PROLIFIC_PID), when the link carried one. */
  externalId: string | null;
  status: ParticipantStatus;
  /** Judged study matches (practice excluded). */
  matches: number;
  /** Their mean score, null with no judged match. */
  meanScore: number | null;
  base: number;
  bonus: number;
  total: number;
  currency: Currency;
}

/** Every participant of the study, in order of arrival, with what they are owed. */
export async function studyPayments(db: Db, studyId: string): Promise<PaymentRow[]> {
  const participants = await db.participant.findMany({
    where: { studyId },
    select: { id: true, userId: true, externalId: true, status: true, versionId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  if (participants.length === 0) return [];
  const verdicts = await db.studyVerdict.findMany({
    where: { studyId, practice: false, judgeId: { in: participants.map((p) => p.userId) } },
    select: { judgeId: true, score: true },
  });
  const scores = new Map<string, number[]>();
  for (const { judgeId, score } of verdicts) {
    if (judgeId === null) continue;
    const list = scores.get(judgeId) ?? [];
    list.push(score);
    scores.set(judgeId, list);
  }
  const payOf = new Map<string, PayConfig>();
  for (const versionId of new Set(participants.map((p) => p.versionId)))
    payOf.set(versionId, (await getStudyVersion(db, versionId)).frozen.config.pay);

  return participants.map((p) => {
    const pay = payOf.get(p.versionId);
    if (!pay) throw new Error(`no pay rule for version ${p.versionId}`);
    const status = participantStatusSchema.parse(p.status);
    const own = scores.get(p.userId) ?? [];
    const paid = status === "completed";
    const base = paid ? pay.basePay : 0;
    const bonus = paid ? bonusAmount(pay.bonus, own) : 0;
    return {
      participantId: p.id,
      externalId: p.externalId,
      status,
      matches: own.length,
      meanScore: meanScore(own),
      base,
      bonus,
      total: roundToCents(base + bonus),
      currency: pay.currency,
    };
  });
}

/** The study's bonus file (see {@link bonusFile}). */
export async function studyBonusFile(db: Db, studyId: string): Promise<string> {
  return bonusFile(await studyPayments(db, studyId));
}

/** The scores of a participant's judged study matches so far (practice and `exceptMatchId` excluded), oldest first. */
export async function participantScores(
  db: Db,
  studyId: string,
  userId: string,
  exceptMatchId?: string,
): Promise<number[]> {
  const rows = await db.studyVerdict.findMany({
    where: { studyId, practice: false, judgeId: userId, ...(exceptMatchId ? { matchId: { not: exceptMatchId } } : {}) },
    select: { score: true },
    orderBy: { seq: "asc" },
  });
  return rows.map((row) => row.score);
}
