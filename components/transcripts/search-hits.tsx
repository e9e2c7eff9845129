import Link from "next/link";
import { transcriptHref, turnHref } from "@/lib/transcripts/filters";
import { type SearchHit, snippetParts } from "@/lib/transcripts/search";

const KIND_LABELS: Record<SearchHit["kind"], string> = {
  turn: "Debater",
  judge: "Judge message",
  verdict: "Judge's explanation",
};

/** Where a hit opens: a turn's own anchor on the review page, else the judge's step or verdict there. */
function hitHref(hit: SearchHit): string {
  if (hit.kind === "turn") return turnHref(hit.matchId, hit.id);
  return `${transcriptHref(hit.matchId)}#${hit.kind === "judge" ? `step-${hit.id}` : "verdict"}`;
}

/** The snippet with its matched words in <mark>: the text is never parsed as HTML. */
function Snippet({ text }: { text: string }) {
  return (
    <>
      {snippetParts(text).map((part) =>
        part.hit ? <mark key={part.at}>{part.text}</mark> : <span key={part.at}>{part.text}</span>,
      )}
    </>
  );
}

/** Full-text search results: each hit in context, linking to its turn. `data-transcript-row` for `j`/`k`. */
export function SearchHits({ hits }: { hits: SearchHit[] }) {
  return (
    <ol className="search-hits">
      {hits.map((hit) => (
        <li key={`${hit.kind}-${hit.id}`} data-transcript-row className="search-hit">
          <Link href={hitHref(hit)} className="row-link hit-snippet">
            <Snippet text={hit.snippet} />
          </Link>
          <div className="row-meta">
            {KIND_LABELS[hit.kind]}
            {hit.speaker ? ` ${hit.speaker}` : ""}, round {hit.round} · {hit.condition ?? hit.protocol} ·{" "}
            <Link href={transcriptHref(hit.matchId)}>{hit.question}</Link>
          </div>
        </li>
      ))}
    </ol>
  );
}
