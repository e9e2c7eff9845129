import type { Db } from "../db/client";
import { CruxError } from "../errors";
import { type AuditActor, recordAudit } from "./audit";
import { hashPassword } from "./password";
import type { Role } from "./roles";

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
 * Gives an account a role. Guests have no credentials and cannot be given one; nobody changes their own role (so an
 * admin cannot lock themselves out); the last admin cannot be demoted.
 */
export async function changeUserRole(
  db: Db,
  options: { actorId: string; userId: string; role: Exclude<Role, "guest">; actorName?: string | null },
): Promise<{ id: string; role: string }> {
  if (options.actorId === options.userId) throw new CruxError("FORBIDDEN", "You cannot change your own role.");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId }, select: { role: true } });
    if (!user) throw new CruxError("NOT_FOUND", "No such user.");
    if (user.role === "guest") throw new CruxError("CONFLICT", "Guests have no account to give a role to.");
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
    return updated;
  });
}

/**
 * Signs a user out everywhere: account sessions issued until now stop working (checked on every request and socket
 * event) and guest sessions are deleted.
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
}

/** True when a user (account or guest) has this email. */
export async function userExistsWithEmail(db: Db, email: string): Promise<boolean> {
  return Boolean(await db.user.findUnique({ where: { email }, select: { id: true } }));
}

/**
 * Creates an admin account, or makes an existing user with that email an admin (setting the password when one is
 * given). Used by `crux admin create`.
 */
export async function createOrPromoteAdmin(
  db: Db,
  options: { email: string; password?: string; name?: string },
): Promise<{ id: string; created: boolean; passwordSet: boolean }> {
  const existing = await db.user.findUnique({ where: { email: options.email }, select: { id: true } });
  const passwordHash = options.password ? await hashPassword(options.password) : undefined;
  if (existing) {
    await db.user.update({
      where: { id: existing.id },
      data: {
        role: "admin",
        ...(passwordHash ? { passwordHash } : {}),
        ...(options.name ? { name: options.name } : {}),
      },
    });
    return { id: existing.id, created: false, passwordSet: Boolean(passwordHash) };
  }
  if (!passwordHash) throw new CruxError("BAD_REQUEST", "A new admin needs a password.");
  const user = await db.user.create({
    data: { email: options.email, passwordHash, name: options.name ?? null, role: "admin" },
    select: { id: true },
  });
  return { id: user.id, created: true, passwordSet: true };
}
