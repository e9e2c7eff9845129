import { findQuoteSpans } from "./quotes";

/**
 * Word limits for turns.
 *
 * A word is a whitespace-separated chunk containing at least one letter or digit. `<quote>`/`</quote>` tags are
 * not words and separate words like whitespace does; the words inside a quote count like any other. Chunks of
 * pure punctuation ("—", "…") are not words, so a limit cannot be padded or exhausted with them.
 */

/** Appended to a turn cut short by {@link enforceWordLimit}. */
export const TRUNCATION_MARK = "…";

const WORD_CHAR = /[\p{L}\p{N}]/u;
const SEPARATOR = /\s+|<\/?quote>/gi;

/** A unit that truncation keeps or drops whole: a word, or a closed quote with all its words. */
interface Unit {
  /** Offset just past the unit in the text. */
  end: number;
  words: number;
}

/** Words of a stretch of text with no closed quote in it, as units ending at each word's last character. */
function wordUnits(text: string, from: number, to: number, units: Unit[]): void {
  const segment = text.slice(from, to);
  let chunkStart = 0;
  const take = (chunkEnd: number): void => {
    if (chunkEnd > chunkStart && WORD_CHAR.test(segment.slice(chunkStart, chunkEnd))) {
      units.push({ end: from + chunkEnd, words: 1 });
    }
  };
  for (const sep of segment.matchAll(SEPARATOR)) {
    take(sep.index);
    chunkStart = sep.index + sep[0].length;
  }
  take(segment.length);
}

function units(text: string): Unit[] {
  const out: Unit[] = [];
  let cursor = 0;
  for (const span of findQuoteSpans(text)) {
    wordUnits(text, cursor, span.outerStart, out);
    const inner: Unit[] = [];
    wordUnits(text, span.start, span.end, inner);
    out.push({ end: span.outerEnd, words: inner.length });
    cursor = span.outerEnd;
  }
  wordUnits(text, cursor, text.length, out);
  return out;
}

/** Counts words as defined above (quote tags excluded, quoted words included). */
export function countWords(text: string): number {
  let n = 0;
  for (const unit of units(text)) n += unit.words;
  return n;
}

/** Outcome of {@link enforceWordLimit}: `words` is the word count of the returned text. */
export interface LimitedText {
  text: string;
  truncated: boolean;
  words: number;
}

/**
 * Cuts a turn to at most `limit` words. The cut falls just after the last word that fits, and "…" is appended.
 * A quote is kept whole or not at all: if a quote does not fit entirely, the text is cut before its opening tag,
 * since a half quote would be checked (and shown) as a different, possibly misleading quote. Text is never
 * resumed after a dropped quote, so the retained text is always a prefix of what the debater wrote.
 */
export function enforceWordLimit(text: string, limit: number): LimitedText {
  let words = 0;
  let cut = 0;
  for (const unit of units(text)) {
    if (words + unit.words > limit) {
      return { text: text.slice(0, cut).trimEnd() + TRUNCATION_MARK, truncated: true, words };
    }
    words += unit.words;
    cut = unit.end;
  }
  return { text, truncated: false, words };
}

/**
 * How much of a turn still being written is sure to survive {@link enforceWordLimit}, whatever comes next.
 * `length`: the settled prefix (whole words and closed quotes that fit, never a word that may still grow, an open
 * quote that may still close, or the whitespace after the last kept word); `over`: the turn will be cut whatever
 * comes next, so the rest of it need not be written.
 */
export interface SettledPrefix {
  length: number;
  over: boolean;
}

/**
 * The settled prefix of `partial`, a prefix of a turn being streamed. What is forwarded to a judge live is cut
 * here, so the judge never reads a word the stored turn (`enforceWordLimit` of the whole turn) will not have.
 */
export function settledPrefix(partial: string, limit: number): SettledPrefix {
  const spans = findQuoteSpans(partial);
  const afterSpans = spans.at(-1)?.outerEnd ?? 0;
  // An opening tag after the last closed quote may still be closed: nothing from it on is settled yet.
  const openAt = partial.slice(afterSpans).search(/<quote>/i);
  const pending = openAt < 0 ? partial.length : afterSpans + openAt;
  let words = 0;
  let length = 0;
  for (const unit of units(partial)) {
    // A unit that ends where the text ends may be a word still being written.
    if (unit.end > pending || unit.end >= partial.length) break;
    if (words + unit.words > limit) return { length, over: true };
    words += unit.words;
    length = unit.end;
  }
  // A partial closing tag can look like one word more than there will be: allow for it.
  return { length, over: countWords(partial) > limit + 1 };
}

/**
 * Forwards a streamed turn chunk by chunk, holding back what is not settled ({@link settledPrefix}), so the text
 * forwarded is always a prefix of the turn as it will be stored. `finish` returns the last chunk that makes the
 * forwarded text equal to the stored one (the rest of the last word, the truncation mark), or null when what was
 * forwarded is not a prefix of it (the caller must then start the live text over).
 */
export function createLimitedStream(limit: number) {
  let written = "";
  let forwarded = "";
  let over = false;
  return {
    /** The forwarded text so far. */
    get text(): string {
      return forwarded;
    },
    /** Whether the turn is already sure to be cut: the rest need not be written. */
    get over(): boolean {
      return over;
    },
    /** Takes the next streamed delta; returns what may be forwarded now ("" for nothing). */
    push(delta: string): string {
      written += delta;
      const settled = settledPrefix(written, limit);
      over = settled.over;
      if (settled.length <= forwarded.length) return "";
      const chunk = written.slice(forwarded.length, settled.length);
      forwarded = written.slice(0, settled.length);
      return chunk;
    },
    /** The stream starts over (a retried call). */
    reset(): void {
      written = "";
      forwarded = "";
      over = false;
    },
    /** The last chunk for the stored turn `stored`, or null when the forwarded text is not a prefix of it. */
    finish(stored: string): string | null {
      if (!stored.startsWith(forwarded)) return null;
      const chunk = stored.slice(forwarded.length);
      forwarded = stored;
      return chunk;
    },
  };
}
