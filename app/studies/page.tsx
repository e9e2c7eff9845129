import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listStudiesFor } from "@/lib/studies/repository";

export const metadata = { title: "Studies — Crux" };

/** Researcher: the studies they own or were added to (admins: every study), newest first. */
export default async function StudiesPage() {
  const user = await requireRole("researcher", { callbackUrl: "/studies" });
  const studies = await listStudiesFor(getDb(), user);
  return (
    <section className="studies-page">
      <div className="page-title">
        <h1>Studies</h1>
        <Link href="/studies/new" className="button primary">
          New study
        </Link>
      </div>
      {studies.length === 0 ? (
        <p className="empty">
          No studies yet. Design one with <strong>New study</strong>: choose the questions and the protocols to compare,
          launch it, and share its link with participants.
        </p>
      ) : (
        <table className="studies-table">
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((study) => (
              <tr key={study.id} data-testid="study-row">
                <th scope="row">
                  <Link href={`/studies/${study.id}`}>{study.name}</Link>
                </th>
                <td>
                  <span className={`study-status status-${study.status}`}>{study.status}</span>
                </td>
                <td>
                  <time dateTime={study.createdAt.toISOString()}>{study.createdAt.toISOString().slice(0, 10)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
