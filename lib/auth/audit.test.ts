import { describe, expect, it } from "vitest";
import { tempDatabase } from "../../tests/support/temp-db";
import { immutableRecordViolation } from "../db/errors";
import { AUDIT_PAGE_SIZE, auditQuerySchema, listAuditLog, recordAudit } from "./audit";

/** The audit log's writer, its pages and filters, and the database keeping it append-only. */

const temp = tempDatabase("audit");

describe("audit log", () => {
  it("lists entries newest first, a page at a time, filtered by actor and action", async () => {
    const db = temp.db();
    const admin = { id: "admin-1", email: "admin@example.test" };
    const researcher = { id: "res-1", email: "res@example.test" };
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++)
      await recordAudit(db, { actor: researcher, action: "study.launch", target: `study:s${i}` });
    await recordAudit(db, { actor: admin, action: "user.role", target: "user:u1", details: { to: "admin" } });

    const first = await listAuditLog(db, auditQuerySchema.parse({}));
    expect(first).toMatchObject({ total: AUDIT_PAGE_SIZE + 6, page: 1, pages: 2 });
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.entries[0]).toMatchObject({
      action: "user.role",
      actorName: "admin@example.test",
      details: { to: "admin" },
    });
    const second = await listAuditLog(db, auditQuerySchema.parse({ page: "2" }));
    expect(second.entries.at(-1)?.target).toBe("study:s0");

    const byAdmin = await listAuditLog(db, auditQuerySchema.parse({ actor: "admin@example.test" }));
    expect(byAdmin.entries.map((e) => e.target)).toEqual(["user:u1"]);
    const byId = await listAuditLog(db, auditQuerySchema.parse({ actor: "res-1", action: "study.launch" }));
    expect(byId.total).toBe(AUDIT_PAGE_SIZE + 5);
    // A bad filter or page falls back to none and the first page rather than failing the page.
    expect(auditQuerySchema.parse({ page: "x", action: "drop.tables" })).toEqual({ page: 1 });
  });

  it("refuses to change or delete an entry", async () => {
    const db = temp.db();
    await recordAudit(db, { actor: { id: "a" }, action: "export.download", target: "study:x" });
    const refused = (write: Promise<unknown>) =>
      write.then(
        () => null,
        (error: unknown) => immutableRecordViolation(error),
      );
    expect(await refused(db.auditLog.updateMany({ data: { action: "study.edit" } }))).toMatch(/append-only/);
    expect(await refused(db.auditLog.deleteMany({}))).toMatch(/append-only/);
    expect(await db.auditLog.count({ where: { action: "export.download" } })).toBe(1);
  });
});
