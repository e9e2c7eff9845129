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

/** What the label needs of a match: its AI judge's spec, or its human judge with their study participation. */
export interface JudgeOfMatch {
  judgeModel: string | null;
  judge: {
    id: string;
    role: string;
    name: string | null;
    email: string | null;
    /** A study participant's row (at most one: a participant account belongs to one study). */
    participation: { ordinal: number }[];
  } | null;
}

/**
 * Who judged a match, as a reviewer may read it. Admins see the account (email); everyone else sees no email:
 * a study participant by their order of arrival ("Participant 3"), an imported dataset's judge by the dataset's
 * own pseudonym (their user name), anyone else by their name or a short id. An AI judge by its model spec.
 */
export function reviewJudgeLabel(
  viewer: SessionUser,
  match: JudgeOfMatch,
): { kind: "human" | "ai" | "none"; label: string } {
  if (match.judgeModel) return { kind: "ai", label: match.judgeModel };
  const { judge } = match;
  if (!judge) return { kind: "none", label: "no judge yet" };
  const short = judge.id.slice(-6);
  if (hasRole(viewer, "admin") && judge.email) return { kind: "human", label: judge.email };
  const participant = judge.participation[0];
  if (participant) return { kind: "human", label: `Participant ${participant.ordinal + 1}` };
  if (judge.role === "participant") return { kind: "human", label: judge.name ?? `Participant ${short}` };
  if (judge.role === "guest") return { kind: "human", label: `Guest ${short}` };
  return { kind: "human", label: judge.name && !judge.name.includes("@") ? judge.name : `Player ${short}` };
}
