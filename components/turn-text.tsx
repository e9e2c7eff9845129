import { Fragment } from "react";
import { findQuoteSpans } from "@/lib/debate/quotes";
import type { PublicQuote } from "@/lib/debate/view";

/** Where a quote sits on a review page: its element id, and where it links to (its place in the story). */
export interface QuoteAnchor {
  id: string;
  href?: string;
  /** Whose quote it is (a seat), for its colour. */
  owner?: string;
}

/**
 * A turn's text with its quotes marked. Finished turns pass their checked quotes (same order as the tags);
 * a turn still streaming passes none, and its quotes show as "checking…" until the turn ends. A review page passes
 * `anchors` (same order): each quote gets an id, and a verified one links to its place in the story.
 */
export function TurnText({ text, quotes, anchors }: { text: string; quotes?: PublicQuote[]; anchors?: QuoteAnchor[] }) {
  const spans = findQuoteSpans(text);
  const parts: React.ReactNode[] = [];
  let cursor = 0;
  // Keys are offsets in the text: stable while a turn streams in, unlike array indexes.
  spans.forEach((span, i) => {
    if (span.outerStart > cursor) {
      parts.push(<Fragment key={`t${cursor}`}>{text.slice(cursor, span.outerStart)}</Fragment>);
    }
    const quote = quotes?.[i];
    const state = quote ? (quote.verified ? "verified" : "unverified") : "pending";
    const anchor = anchors?.[i];
    const badge = state === "verified" ? "✓ verified" : state === "unverified" ? "✗ unverified" : "checking…";
    parts.push(
      <q
        key={`q${span.outerStart}`}
        id={anchor?.id}
        className={`quote ${state}${anchor?.owner ? ` quote-${anchor.owner}` : ""}`}
        data-quote-state={state}
      >
        {anchor?.href && state === "verified" ? (
          <a href={anchor.href} className="quote-link" title="Show this quote in the story">
            {span.text}
          </a>
        ) : (
          span.text
        )}
        <span className="quote-badge">{badge}</span>
      </q>,
    );
    cursor = span.outerEnd;
  });
  // A quote still being streamed (opening tag without its closing one) shows as an open quote, tag hidden.
  const rest = text.slice(cursor);
  const openTag = rest.toLowerCase().lastIndexOf("<quote>");
  if (openTag >= 0) {
    parts.push(<Fragment key="rest">{rest.slice(0, openTag)}</Fragment>);
    parts.push(
      <q key="open" className="quote pending" data-quote-state="pending">
        {rest.slice(openTag + "<quote>".length)}
      </q>,
    );
  } else {
    parts.push(<Fragment key="rest">{rest.replace(/<\/?q?u?o?t?e?$/i, "")}</Fragment>);
  }
  return <p className="turn-text">{parts}</p>;
}
