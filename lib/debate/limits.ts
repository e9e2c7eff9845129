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
