import { z } from "zod";

/**
 * Roles and what they imply — the one place role logic lives (pages, actions, the proxy, the socket server and the
 * CLI all ask `hasRole`). Plain module: the browser may import it.
 *
 * - `guest`: plays without an account (a database session in a cookie); implies nothing.
 * - `player`: an account that plays; what sign-up creates.
 * - `participant`: an account bound to a study (studies come later); deliberately not a `player`.
 * - `researcher`: watches matches, runs studies, reads transcripts; can also play.
 * - `admin`: everything a researcher can, plus managing users.
 */
export const ROLES = ["guest", "player", "participant", "researcher", "admin"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/**
 * The roles an admin may change, into one another: only accounts with credentials. Guests have none. Study
 * participants have none either — their session is whatever the study link handed to the browser, so promoting
 * one would give researcher or admin rights to whoever holds that cookie — and a participant exists only as part of
 * a study, so no account is made one by hand (study links create them).
 */
export const ASSIGNABLE_ROLES = ["player", "researcher", "admin"] as const satisfies readonly Role[];
export const assignableRoleSchema = z.enum(ASSIGNABLE_ROLES, "Choose player, researcher or admin.");
export type AssignableRole = z.infer<typeof assignableRoleSchema>;

/** Whether an admin may change the role of an account that has `role` (into another assignable role). */
export function isRoleChangeable(role: string): role is AssignableRole {
  return assignableRoleSchema.safeParse(role).success;
}

/** For each role, the roles it includes besides itself. */
const INCLUDES: Record<Role, readonly Role[]> = {
  guest: [],
  player: [],
  participant: [],
  researcher: ["player"],
  admin: ["researcher", "player"],
};

/** Who is making a request, as every part of the app sees it (guest or account). */
export interface SessionUser {
  id: string;
  role: string;
  name: string | null;
  email: string | null;
}

/** Parses a stored role; unknown values (a hand-edited row) get no rights at all. */
export function parseRole(value: string): Role {
  const parsed = roleSchema.safeParse(value);
  return parsed.success ? parsed.data : "guest";
}

/** True when `user` has `role` or a role that includes it (`admin` ⊇ `researcher` ⊇ `player`). */
export function hasRole(user: { role: string } | null | undefined, role: Role): boolean {
  if (!user) return false;
  const own = parseRole(user.role);
  return own === role || INCLUDES[own].includes(role);
}

/** True for a signed-in account (any role but guest). */
export function isAccount(user: { role: string } | null | undefined): boolean {
  return Boolean(user) && parseRole(user?.role ?? "guest") !== "guest";
}

/** Human label for a role, for headers and tables. */
export const ROLE_LABELS: Record<Role, string> = {
  guest: "guest",
  player: "player",
  participant: "study participant",
  researcher: "researcher",
  admin: "admin",
};
