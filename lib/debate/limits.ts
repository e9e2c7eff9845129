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

/** Where the unsettled end of a partial turn starts: an opening tag after the last closed quote may still be closed. */
function pendingFrom(partial: string): number {
  const afterSpans = findQuoteSpans(partial).at(-1)?.outerEnd ?? 0;
  const openAt = partial.slice(afterSpans).search(/<quote>/i);
  return openAt < 0 ? partial.length : afterSpans + openAt;
}

/**
 * The settled prefix of `partial`, a prefix of a turn being streamed. What is forwarded to a judge live is cut
 * here, so the judge never reads a word the stored turn (`enforceWordLimit` of the whole turn) will not have.
 */
export function settledPrefix(partial: string, limit: number): SettledPrefix {
  const pending = pendingFrom(partial);
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
 * {@link settledPrefix} of a text that grows by appended deltas (a turn being streamed), without going over the whole
 * text again for every delta: the units before the settled prefix's end never change as text is appended (no quote
 * can open before it and close after it: an open quote holds the prefix back at its tag), so each delta is measured
 * with the text from there on only — usually the last word, or an open quote. Same results as `settledPrefix` of the
 * whole text (limits.test.ts checks it on random streams).
 *
 * Only that unsettled end is kept, not the whole text: measuring a string built by appending makes V8 copy it flat,
 * and a turn's growing copies, each kept alive by the next, would be garbage the collector has to move (promoted to
 * the old generation, since a turn outlives several young-generation collections).
 */
export function createSettledTracker(limit: number) {
  /** The text after the settled prefix. */
  let rest = "";
  /** The settled prefix's length, and the words in it. */
  let length = 0;
  let words = 0;
  let over = false;
  const reset = () => {
    rest = "";
    length = 0;
    words = 0;
    over = false;
  };
  const measure = (): SettledPrefix => {
    const tail = units(rest);
    const pending = pendingFrom(rest);
    let total = words;
    for (const unit of tail) total += unit.words;
    let settled = 0;
    let limited = false;
    for (const unit of tail) {
      if (unit.end > pending || unit.end >= rest.length) break;
      if (words + unit.words > limit) {
        limited = true;
        break;
      }
      words += unit.words;
      settled = unit.end;
    }
    length += settled;
    rest = rest.slice(settled);
    over = limited || total > limit + 1;
    return { length, over };
  };
  return {
    /** Appends a delta; returns the settled prefix of the text so far. */
    push(delta: string): SettledPrefix {
      rest += delta;
      return measure();
    },
    /** Whether the text so far is sure to be cut (as last returned). */
    get over(): boolean {
      return over;
    },
    /** The text starts over (a retried stream). */
    reset,
  };
}

/**
 * Forwards a streamed turn chunk by chunk, holding back what is not settled ({@link settledPrefix}), so the text
 * forwarded is always a prefix of the turn as it will be stored. `finish` returns the last chunk that makes the
 * forwarded text equal to the stored one (the rest of the last word, the truncation mark), or null when what was
 * forwarded is not a prefix of it (the caller must then start the live text over).
 */
export function createLimitedStream(limit: number) {
  const settle = createSettledTracker(limit);
  // The written text is kept as what was forwarded and what is held back (each only appended to or cut from the
  // front), never as one string measured again on every delta (see createSettledTracker).
  let forwarded = "";
  let held = "";
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
      held += delta;
      const settled = settle.push(delta);
      over = settled.over;
      if (settled.length <= forwarded.length) return "";
      const chunk = held.slice(0, settled.length - forwarded.length);
      held = held.slice(chunk.length);
      forwarded += chunk;
      return chunk;
    },
    /** The stream starts over (a retried call). */
    reset(): void {
      settle.reset();
      forwarded = "";
      held = "";
      over = false;
    },
    /** The last chunk for the stored turn `stored`, or null when the forwarded text is not a prefix of it. */
    finish(stored: string): string | null {
      if (!stored.startsWith(forwarded)) return null;
      const chunk = stored.slice(forwarded.length);
      forwarded = stored;
      held = "";
      return chunk;
    },
  };
}
