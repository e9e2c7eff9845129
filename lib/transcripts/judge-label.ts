import { hasRole, type SessionUser } from "../auth/roles";

/**
 * How a transcript names its judge. An AI judge by its model spec. A human judge pseudonymously — "Judge" and the
 * end of their user id, the same everywhere — except to admins, who see the email address (or name). Imported
 * judges, who have a name from their dataset and no account (no email), keep that name: it is the dataset's own
 * pseudonym (e.g. NYU 2023's "Fizzlewick Fandango").
 */
export function judgeLabel(
  viewer: SessionUser,
  judge: { judgeModel: string | null; judgeId: string | null; email: string | null; name: string | null },
): string {
  if (judge.judgeModel) return judge.judgeModel;
  if (!judge.judgeId) return "—";
  if (hasRole(viewer, "admin") && (judge.email || judge.name)) return judge.email ?? judge.name ?? "";
  if (!judge.email && judge.name) return judge.name;
  return judgePseudonym(judge.judgeId);
}

export function judgePseudonym(userId: string): string {
  return `Judge ${userId.slice(-6)}`;
}
