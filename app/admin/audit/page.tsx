import { AUDIT_ACTIONS, auditQuerySchema, listAuditLog } from "@/lib/auth/audit";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "Audit log — Crux admin" };

/** Admin only (the proxy checks for an account; this checks the role): the audit log, newest first, filterable. */
export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole("admin", { callbackUrl: "/admin/audit" });
  const raw = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const query = auditQuerySchema.parse({ page: first(raw.page), actor: first(raw.actor), action: first(raw.action) });
  const { entries, total, page, pages } = await listAuditLog(getDb(), query);
  const link = (to: number) => {
    const params = new URLSearchParams({ page: String(to) });
    if (query.actor) params.set("actor", query.actor);
    if (query.action) params.set("action", query.action);
    return `/admin/audit?${params}`;
  };
  return (
    <section className="admin-page">
      <h1>Audit log</h1>
      <form method="get" className="audit-filter" aria-label="Filter the audit log">
        <label>
          Actor (email or user id)
          <input name="actor" defaultValue={query.actor ?? ""} maxLength={200} />
        </label>
        <label>
          Action
          <select name="action" defaultValue={query.action ?? ""}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <p className="muted">
        {total} {total === 1 ? "entry" : "entries"} · page {page} of {pages}
      </p>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row">
              <td>
                <time dateTime={entry.createdAt.toISOString()}>
                  {entry.createdAt.toISOString().replace("T", " ").slice(0, 19)}
                </time>
              </td>
              <td>{entry.actorName ?? entry.actorId}</td>
              <td>{entry.action}</td>
              <td>{entry.target}</td>
              <td>
                <code>{JSON.stringify(entry.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Pages" className="pager">
        {page > 1 && <a href={link(page - 1)}>Newer</a>} {page < pages && <a href={link(page + 1)}>Older</a>}
      </nav>
    </section>
  );
}
