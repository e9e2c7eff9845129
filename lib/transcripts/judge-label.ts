import { hasRole, type SessionUser } from "../auth/roles";

/**
 * How Crux names who judged a match — on the transcript list, its judge filter, the review page, replay, compare,
 * and as the author of an annotation. One rule, so one person has one name everywhere:
 *
 * - an AI judge: its model spec;
 * - to an admin: the account's email address (or its name when it has none);
 * - a study participant: "Participant <n>", their order of arrival in the study version (1-based);
 * - an imported dataset's judge (an account with a name and no email, no sign-in): the dataset's own pseudonym,
 *   e.g. NYU 2023's "nyu-2023:Fizzlewick Fandango";
 * - anyone else: "Player" and the end of their user id.
 *
 * Nobody but an admin is ever shown an email address.
 */

/** What the rule reads of a person: their account and, for a study participant, their participation. */
export interface LabelledPerson {
  id: string;
  role: string;
  name: string | null;
  email: string | null;
  /** A study participant's row (at most one: a participant account belongs to one study). */
  participation: { ordinal: number }[];
}

/** What the label needs of a match: its AI judge's spec, or its human judge. */
export interface JudgeOfMatch {
  judgeModel: string | null;
  judge: LabelledPerson | null;
}

/** The Prisma `select` of a {@link LabelledPerson}. */
export const LABELLED_PERSON_SELECT = {
  id: true,
  role: true,
  name: true,
  email: true,
  participation: { select: { ordinal: true } },
} as const;

/** The label of a match with no judge yet. */
export const NO_JUDGE = "no judge yet";

/** Who judged `match`, as `viewer` may read it. */
export function judgeLabel(viewer: SessionUser, match: JudgeOfMatch): string {
  if (match.judgeModel) return match.judgeModel;
  if (!match.judge) return NO_JUDGE;
  return personLabel(viewer, match.judge);
}

/** Whether the match was judged by a model, a person, or nobody yet. */
export function judgeKind(match: JudgeOfMatch): "human" | "ai" | "none" {
  return match.judgeModel ? "ai" : match.judge ? "human" : "none";
}

/** A person (a judge, an annotation's author) as `viewer` may read them: the rule above, without the AI case. */
export function personLabel(viewer: SessionUser, person: LabelledPerson): string {
  if (hasRole(viewer, "admin") && (person.email || person.name)) return person.email ?? person.name ?? "";
  const participant = person.participation[0];
  if (participant) return `Participant ${participant.ordinal + 1}`;
  if (!person.email && person.name && person.role === "participant") return person.name;
  return playerPseudonym(person.id);
}

/** The pseudonym of a person who is neither a study participant nor an imported judge. */
export function playerPseudonym(userId: string): string {
  return `Player ${userId.slice(-6)}`;
}
