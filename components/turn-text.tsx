import { Fragment } from "react";
import { findQuoteSpans } from "@/lib/debate/quotes";
import type { PublicQuote } from "@/lib/debate/view";

/**
 * A turn's text with its quotes marked. Finished turns pass their checked quotes (same order as the tags);
 * a turn still streaming passes none, and its quotes show as "checking…" until the turn ends.
 */
export function TurnText({ text, quotes }: { text: string; quotes?: PublicQuote[] }) {
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
    parts.push(
      <q key={`q${span.outerStart}`} className={`quote ${state}`} data-quote-state={state}>
        {span.text}
        <span className="quote-badge">
          {state === "verified" ? "✓ verified" : state === "unverified" ? "✗ unverified" : "checking…"}
        </span>
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
