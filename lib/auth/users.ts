import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { type AuditActor, recordAudit } from "./audit";
import { hashPassword } from "./password";
import { type AssignableRole, isRoleChangeable, parseRole, ROLE_LABELS } from "./roles";
import { publishSessionsEnded } from "./session-events";

/** User administration: listing, roles, revoking sessions, creating admins (the admin page and the CLI). */

export interface UserRow {
  id: string;
  email: string | null;
  name: string | null;
  role: string;
  createdAt: Date;
  sessionsRevokedAt: Date | null;
  matches: number;
}

/** Accounts, newest first; guests only when asked (there can be very many). */
export async function listUsers(db: Db, options: { includeGuests?: boolean; take?: number } = {}): Promise<UserRow[]> {
  const users = await db.user.findMany({
    where: options.includeGuests ? {} : { role: { not: "guest" } },
    orderBy: { createdAt: "desc" },
    take: options.take ?? 500,
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      createdAt: true,
      sessionsRevokedAt: true,
      _count: { select: { judged: true } },
    },
  });
  return users.map(({ _count, ...user }) => ({ ...user, matches: _count.judged }));
}

/** How many guests there are (the admin page shows the number rather than the rows). */
export function countGuests(db: Db): Promise<number> {
  return db.user.count({ where: { role: "guest" } });
}

/**
 * Gives an account a role: only between player, researcher and admin (`ASSIGNABLE_ROLES`, which says why guests and
 * study participants are neither changed nor made). Nobody changes their own role (so an admin cannot lock
 * themselves out); the last admin cannot be demoted. The user's live socket connections are closed (they reconnect
 * under the new role).
 */
export async function changeUserRole(
  db: Db,
  options: { actorId: string; userId: string; role: AssignableRole; actorName?: string | null },
): Promise<{ id: string; role: string }> {
  if (options.actorId === options.userId) throw new CruxError("FORBIDDEN", "You cannot change your own role.");
  // Checked here too, not only by the callers' schemas: this function is the rule.
  if (!isRoleChangeable(options.role)) throw new CruxError("BAD_REQUEST", "Choose player, researcher or admin.");
  const changed = await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId }, select: { role: true } });
    if (!user) throw new CruxError("NOT_FOUND", "No such user.");
    if (user.role === "guest") throw new CruxError("CONFLICT", "Guests have no account to give a role to.");
    if (!isRoleChangeable(user.role))
      throw new CruxError(
        "CONFLICT",
        `A ${ROLE_LABELS[parseRole(user.role)]} keeps their role: it comes with their study link, not an account.`,
      );
    if (user.role === "admin" && options.role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new CruxError("CONFLICT", "This is the last admin: make someone else admin first.");
    }
    const updated = await tx.user.update({
      where: { id: options.userId },
      data: { role: options.role },
      select: { id: true, role: true },
    });
    await recordAudit(tx, {
      actor: { id: options.actorId, name: options.actorName ?? null },
      action: "user.role",
      target: `user:${options.userId}`,
      details: { from: user.role, to: options.role },
    });
    return { updated, before: user.role };
  });
  // Rooms joined under the old role must not keep receiving: the user's live connections are closed.
  if (changed.before !== changed.updated.role) publishSessionsEnded(changed.updated.id, "role-changed");
  return changed.updated;
}

/**
 * Signs a user out everywhere: account sessions issued until now stop working (checked on every request and socket
 * event), guest sessions are deleted, and the user's live socket connections are closed.
 */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  at: Date = new Date(),
  options: { auditAs?: AuditActor } = {},
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, select: { id: true }, data: { sessionsRevokedAt: at } });
    await tx.session.deleteMany({ where: { userId } });
    // An admin revoking someone's sessions is audited; a user signing themselves out everywhere is not.
    if (options.auditAs)
      await recordAudit(tx, { actor: options.auditAs, action: "user.sessions_revoke", target: `user:${userId}` });
  });
  publishSessionsEnded(userId, "revoked");
}

/**
 * Creates an admin account, or makes the user with that email an admin. Either way `password` becomes the
 * account's password: whoever registered the address first (sign-up does not prove one owns it) loses the password
 * they chose, and every session they hold is revoked, so promoting an account never hands admin rights to someone
 * other than the operator. Used by `crux admin create`.
 */
export async function createOrPromoteAdmin(
  db: Db,
  options: { email: string; password: string; name?: string },
): Promise<{ id: string; created: boolean }> {
  if (!options.password) throw new CruxError("BAD_REQUEST", "An admin needs a password.");
  const passwordHash = await hashPassword(options.password);
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: options.email }, select: { id: true } });
    if (existing) {
      await tx.user.update({
        where: { id: existing.id },
        data: {
          role: "admin",
          passwordHash,
          sessionsRevokedAt: new Date(),
          ...(options.name ? { name: options.name } : {}),
        },
      });
      await tx.session.deleteMany({ where: { userId: existing.id } });
      return { id: existing.id, created: false };
    }
    const user = await tx.user.create({
      data: { email: options.email, passwordHash, name: options.name ?? null, role: "admin" },
      select: { id: true },
    });
    return { id: user.id, created: true };
  });
}
