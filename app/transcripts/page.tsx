import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { MATCH_STATUSES } from "@/lib/debate/vocabulary";
import { CruxError } from "@/lib/errors";
import { listStudiesFor } from "@/lib/studies/repository";
import { listTranscripts, OUTCOME_FILTER_LABELS, transcriptFiltersSchema } from "@/lib/transcripts/list";

export const metadata = { title: "Transcripts — Crux" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Transcript review for researchers: pick a study or imported dataset (or free play), filter, and open any match
 * read-only with the story, verified quotes, the judge's steps and the verdict.
 */
export default async function TranscriptsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireRole("researcher", { callbackUrl: "/transcripts" });
  const raw = Object.fromEntries(
    Object.entries(await searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  const filters = transcriptFiltersSchema.parse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")));
  const db = getDb();
  const studies = await listStudiesFor(db, user);
  const result = await listTranscripts(db, user, filters).catch((error: unknown) => {
    if (error instanceof CruxError && (error.code === "FORBIDDEN" || error.code === "NOT_FOUND")) return error;
    throw error;
  });
  const pageLink = (page: number) => {
    const params = new URLSearchParams(
      Object.entries({ ...raw, page: String(page) }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return `/transcripts?${params.toString()}`;
  };

  return (
    <section className="transcripts-page">
      <h1>Transcripts</h1>
      <form className="filters" method="get" aria-label="Filter transcripts">
        <label>
          Study or dataset{" "}
          <select name="study" defaultValue={filters.study ?? "play"}>
            <option value="play">Free play (no study)</option>
            {studies.map((study) => (
              <option key={study.id} value={study.id}>
                {study.name} ({study.status})
              </option>
            ))}
          </select>
        </label>
        <label>
          Condition <input name="condition" defaultValue={filters.condition ?? ""} size={12} />
        </label>
        <label>
          Outcome{" "}
          <select name="outcome" defaultValue={filters.outcome ?? ""}>
            <option value="">any</option>
            {Object.entries(OUTCOME_FILTER_LABELS).map(([outcome, label]) => (
              <option key={outcome} value={outcome}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{" "}
          <select name="status" defaultValue={filters.status ?? ""}>
            <option value="">any</option>
            {MATCH_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          Question contains <input name="q" defaultValue={filters.q ?? ""} size={16} />
        </label>
        <button type="submit" className="button small">
          Show
        </button>
      </form>

      {result instanceof CruxError ? (
        <p className="notice-text" role="alert">
          {result.message}
        </p>
      ) : result.total === 0 ? (
        <p className="empty">No matches here yet{filters.study ? " with these filters" : ""}.</p>
      ) : (
        <>
          <p className="muted">
            {result.total} match{result.total === 1 ? "" : "es"} · page {filters.page} of {result.pages}
          </p>
          <table className="users-table transcripts-table">
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Condition</th>
                <th scope="col">Judge</th>
                <th scope="col">Verdict</th>
                <th scope="col">Score</th>
                <th scope="col">Status</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link href={`/observe/${row.id}`}>{row.question}</Link>
                  </td>
                  <td>{row.condition ?? row.protocol}</td>
                  <td>{row.judge}</td>
                  <td>{row.chosenCorrect === null ? "—" : row.chosenCorrect ? "right" : "wrong"}</td>
                  <td>{row.score === null ? "—" : row.score.toFixed(2)}</td>
                  <td>{row.status}</td>
                  <td>
                    <time dateTime={row.createdAt.toISOString()}>{row.createdAt.toISOString().slice(0, 10)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages">
            {filters.page > 1 && <Link href={pageLink(filters.page - 1)}>← Newer</Link>}
            {filters.page < result.pages && <Link href={pageLink(filters.page + 1)}>Older →</Link>}
          </nav>
        </>
      )}
    </section>
  );
}
