import type { Db } from "../db/client";

/** A judge's own match, as listed on their account page: nothing the judge could not already see. */
export interface JudgedMatchSummary {
  id: string;
  protocol: string;
  status: string;
  createdAt: Date;
  question: string;
}

/** The matches a user judged, newest first. */
export async function listJudgedMatches(
  db: Db,
  options: { judgeId: string; take?: number },
): Promise<JudgedMatchSummary[]> {
  const rows = await db.match.findMany({
    where: { judgeId: options.judgeId },
    orderBy: { createdAt: "desc" },
    take: options.take ?? 50,
    select: { id: true, protocol: true, status: true, createdAt: true, question: { select: { text: true } } },
  });
  return rows.map(({ question, ...row }) => ({ ...row, question: question.text }));
}
