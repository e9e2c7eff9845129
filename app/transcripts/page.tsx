import Link from "next/link";
import { FilterBar, SEARCH_INPUT_ID } from "@/components/transcripts/filter-bar";
import { SearchHits } from "@/components/transcripts/search-hits";
import { TranscriptKeys } from "@/components/transcripts/transcript-keys";
import { TranscriptTable } from "@/components/transcripts/transcript-table";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { browseTranscripts } from "@/lib/transcripts/browse";
import { parseTranscriptFilters, type TranscriptFilters, transcriptsHref } from "@/lib/transcripts/filters";
import "./transcripts.css";

export const metadata = { title: "Transcripts — Crux" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Transcript review: every transcript the researcher may read (their studies and datasets, free play), filtered,
 * sorted and paged on the server, or searched word for word; each opens on its review page (/transcripts/<id>).
 */
export default async function TranscriptsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireRole("researcher", { callbackUrl: "/transcripts" });
  const filters = parseTranscriptFilters(await searchParams);
  const { facets, list, search, refusal } = await browseTranscripts(getDb(), user, filters);
  const filtered = transcriptsHref({ ...filters, sort: "date", dir: "desc", page: 1 }) !== "/transcripts";

  return (
    <section className="transcripts-page">
      <div className="page-title">
        <h1>Transcripts</h1>
        <p className="fine-print keys-hint">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> opens · <kbd>/</kbd> searches
        </p>
      </div>
      <FilterBar key={transcriptsHref(filters)} filters={filters} facets={facets} />
      {refusal !== null ? (
        <p className="notice-text" role="alert">
          {refusal}
        </p>
      ) : search ? (
        search.total === 0 ? (
          <Empty filtered>No turn, judge message or explanation contains these words.</Empty>
        ) : (
          <>
            <Summary total={search.total} noun="hit" page={search.page} pages={search.pages} />
            <SearchHits hits={search.hits} />
            <Pager filters={filters} page={search.page} pages={search.pages} />
          </>
        )
      ) : list && list.total > 0 ? (
        <>
          <Summary total={list.total} noun="transcript" page={list.page} pages={list.pages} />
          <TranscriptTable rows={list.rows} filters={filters} />
          <Pager filters={filters} page={list.page} pages={list.pages} />
        </>
      ) : (
        <Empty filtered={filtered}>
          {filtered
            ? "No transcripts match these filters."
            : "No transcripts yet: play a game, run a study or import a dataset (crux import), and its matches appear here."}
        </Empty>
      )}
      <TranscriptKeys searchInputId={SEARCH_INPUT_ID} />
    </section>
  );
}

function Summary({ total, noun, page, pages }: { total: number; noun: string; page: number; pages: number }) {
  return (
    <p className="muted" role="status">
      {total.toLocaleString("en")} {noun}
      {total === 1 ? "" : "s"}
      {pages > 1 ? ` · page ${page} of ${pages}` : ""}
    </p>
  );
}

function Empty({ filtered, children }: { filtered: boolean; children: string }) {
  return (
    <div className="transcripts-empty">
      <p>{children}</p>
      {filtered && <Link href="/transcripts">Clear the filters</Link>}
    </div>
  );
}

function Pager({ filters, page, pages }: { filters: TranscriptFilters; page: number; pages: number }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? <Link href={transcriptsHref(filters, { page: page - 1 })}>← Previous</Link> : <span />}
      <span className="muted">
        {page} / {pages}
      </span>
      {page < pages ? <Link href={transcriptsHref(filters, { page: page + 1 })}>Next →</Link> : <span />}
    </nav>
  );
}
