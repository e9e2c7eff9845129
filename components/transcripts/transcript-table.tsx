import Link from "next/link";
import {
  type TranscriptFilters,
  type TranscriptSort,
  transcriptHref,
  transcriptsHref,
} from "@/lib/transcripts/filters";
import type { TranscriptRow } from "@/lib/transcripts/list";

/**
 * The transcript table. Each row's question links to the review page; the judge, the models and the tags link to
 * the same list filtered by them. Rows carry `data-transcript-row` for `j`/`k` (transcript-keys.tsx).
 */
export function TranscriptTable({ rows, filters }: { rows: TranscriptRow[]; filters: TranscriptFilters }) {
  const filterLink = (changes: Partial<TranscriptFilters>) => transcriptsHref(filters, { ...changes, page: 1 });
  return (
    <div className="transcripts-scroll">
      <table className="transcripts-table">
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Judge</th>
            <th scope="col">Debaters</th>
            <th scope="col">Outcome</th>
            <SortHeader filters={filters} sort="confidence" label="Confidence" />
            <SortHeader filters={filters} sort="rounds" label="Rounds" />
            <th scope="col">Tags</th>
            <SortHeader filters={filters} sort="date" label="Date" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-transcript-row>
              <td className="question-cell">
                <Link href={transcriptHref(row.id)} className="row-link">
                  {row.question}
                </Link>
                <div className="row-meta">
                  {row.study ?? "free play"} · {row.condition ?? row.protocol}
                  {row.condition && row.condition !== row.protocol ? ` (${row.protocol})` : ""}
                  {row.status !== "complete" && <span className="status-chip">{row.status}</span>}
                </div>
              </td>
              <td>
                {row.judgeKey ? (
                  <Link href={filterLink({ judge: row.judgeKey })} title="Only this judge">
                    {row.judge}
                  </Link>
                ) : (
                  row.judge
                )}
                <div className="row-meta">{row.judgeKind === "ai" ? "AI" : "human"}</div>
              </td>
              <td className="models-cell">
                {row.debaters.map(({ seat, model }) => (
                  <Link key={seat} href={filterLink({ model })} title="Only this debater model">
                    {model}
                  </Link>
                ))}
              </td>
              <td>
                {row.correct === null ? (
                  <span className="muted">—</span>
                ) : (
                  <span className={`outcome ${row.correct ? "right" : "wrong"}`}>
                    {row.correct ? "right" : "wrong"}
                  </span>
                )}
              </td>
              <td className="number">{row.confidence === null ? "—" : `${Math.round(row.confidence * 100)}%`}</td>
              <td className="number">{row.rounds ?? "—"}</td>
              <td>
                {row.tags.map((tag) => (
                  <Link key={tag} href={filterLink({ tag })} className="tag-chip">
                    {tag}
                  </Link>
                ))}
              </td>
              <td>
                <time dateTime={row.createdAt.toISOString()}>{row.createdAt.toISOString().slice(0, 10)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A sortable column's header: a link that sorts by it (descending first, then toggles). */
function SortHeader({ filters, sort, label }: { filters: TranscriptFilters; sort: TranscriptSort; label: string }) {
  const active = filters.sort === sort;
  const dir = active && filters.dir === "desc" ? "asc" : "desc";
  return (
    <th scope="col" aria-sort={active ? (filters.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link href={transcriptsHref(filters, { sort, dir, page: 1 })}>
        {label}
        {active ? (filters.dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}
