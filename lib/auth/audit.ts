import { z } from "zod";
import type { Db } from "../db/client";

/**
 * The audit log: every admin and researcher action, append-only (the database refuses to change or delete an
 * entry). Edges call the lib function that does the action, then `recordAudit` with the acting account; lib
 * functions that run a transaction of their own may record inside it (`tx`). Admins read it at /admin/audit.
 */

/** Every action the audit log records: the one list (the page's filter and the writers use it). */
export const AUDIT_ACTIONS = [
  "study.create",
  "study.edit",
  "study.launch",
  "study.status",
  "study.member_add",
  "study.run_start",
  "study.run_stop",
  "match.end",
  "slot.reassign",
  "participant.remove",
  "correction.exclude",
  "correction.restore",
  "user.role",
  "user.sessions_revoke",
  "export.download",
  "bonus.download",
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Who acted: the session user. */
export interface AuditActor {
  id: string;
  email?: string | null;
  name?: string | null;
}

export interface AuditEntryInput {
  actor: AuditActor;
  action: AuditAction;
  /** What it was done to, as `kind:id` ("study:…", "match:…", "user:…", "slot:…", "participant:…", "verdict:…"). */
  target: string;
  details?: Record<string, unknown>;
}

/** A client or a transaction: anything with the auditLog delegate. */
type AuditDb = Pick<Db, "auditLog">;

/** Appends one entry. */
export async function recordAudit(db: AuditDb, entry: AuditEntryInput): Promise<void> {
  await db.auditLog.create({
    select: { id: true },
    data: {
      actorId: entry.actor.id,
      actorName: entry.actor.email ?? entry.actor.name ?? null,
      action: entry.action,
      target: entry.target,
      details: JSON.parse(JSON.stringify(entry.details ?? {})),
    },
  });
}

export const auditQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  actor: z.string().trim().max(200).optional().catch(undefined),
  action: auditActionSchema.optional().catch(undefined),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const AUDIT_PAGE_SIZE = 50;

export interface AuditEntry {
  id: number;
  actorId: string;
  actorName: string | null;
  action: string;
  target: string;
  details: unknown;
  createdAt: Date;
}

/** One page of the log, newest first, filtered by actor (id or name/email, exact) and action. */
export async function listAuditLog(
  db: Db,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; total: number; page: number; pages: number }> {
  const actor = query.actor || undefined;
  const where = {
    ...(query.action ? { action: query.action } : {}),
    ...(actor ? { OR: [{ actorId: actor }, { actorName: actor }] } : {}),
  };
  const total = await db.auditLog.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const entries = await db.auditLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { entries, total, page, pages };
}
