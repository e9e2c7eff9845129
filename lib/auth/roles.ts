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

/** Roles an admin may give an account (guests have no credentials, so "guest" is not a role one assigns). */
export const ASSIGNABLE_ROLES = ["player", "participant", "researcher", "admin"] as const satisfies readonly Role[];
export const assignableRoleSchema = z.enum(ASSIGNABLE_ROLES);

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
