import type { Quote } from "./types";

/**
 * Quotes: finding `<quote>…</quote>` spans in a turn and checking them against the passage.
 *
 * Matching rules (documented here once, relied on by the UI and the tests):
 * - Text is compared as a stream of letters and digits only. Case is folded, accents are removed (NFKD + drop
 *   combining marks), and everything else — whitespace incl. line breaks, straight/curly quotes, dashes,
 *   ellipses, all punctuation — is dropped. So "word ,word", "word, word" and "Word — word" all compare equal,
 *   and so do "don't" and "do n't" (passages were rebuilt from tokens; spacing around punctuation is unreliable).
 * - A match must start and end on a word boundary of the passage, so "he ran" is not found inside "she ran"
 *   and "cat" does not verify against "category".
 * - U+FFFD in the passage (an undecodable character) matches zero or one character of the quote: it may have
 *   stood for an accented letter ("caf\uFFFD" ~ "café") or for a curly quote or dash, which quotes drop.
 *   U+FFFD inside a quote is ignored like punctuation.
 * - Quotes with fewer than {@link MIN_QUOTE_WORDS} words are never verified: a single word proves nothing
 *   about the story and would match almost anywhere.
 * - When a quote occurs several times, the earliest occurrence is reported.
 */

/** Quotes shorter than this (in whitespace-separated words containing a letter or digit) are never verified. */
export const MIN_QUOTE_WORDS = 2;

const OPEN_TAG = "<quote>";
const CLOSE_TAG = "</quote>";
const TAG_PATTERN = /<(\/?)quote>/gi;
const REPLACEMENT_CHAR = "\uFFFD";
const WORD_CHAR = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const WHITESPACE = /\s/u;
/** Marks a separator inside a cached normalisation of a non-ASCII character (never a letter itself). */
const SEP = " ";
/** Index key lengths, in normalised characters: long keys for typical quotes, short ones for 2–3 word quotes. */
const LONG_KEY = 12;
const SHORT_KEY = 4;

/** A `<quote>` span in a turn, with the tag offsets as well as the inner text offsets. */
export interface QuoteSpan {
  /** Inner text, exactly as written. */
  text: string;
  /** Offsets of the inner text in the turn. */
  start: number;
  end: number;
  /** Offset of `<` of the opening tag and the offset just past `>` of the closing tag. */
  outerStart: number;
  outerEnd: number;
}

/**
 * Finds every closed `<quote>…</quote>` span (tags are case-insensitive, no attributes). An opening tag that is
 * followed by another opening tag before any closing tag is unclosed and ignored; so is a stray closing tag.
 */
export function findQuoteSpans(text: string): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let openAt = -1;
  for (const match of text.matchAll(TAG_PATTERN)) {
    const at = match.index;
    if (match[1] === "") {
      // A newer opening tag supersedes an unclosed earlier one, so nesting never swallows text.
      openAt = at;
    } else if (openAt >= 0) {
      const start = openAt + OPEN_TAG.length;
      spans.push({ text: text.slice(start, at), start, end: at, outerStart: openAt, outerEnd: at + CLOSE_TAG.length });
      openAt = -1;
    }
  }
  return spans;
}

/** The quotes in a turn: inner text of each closed `<quote>…</quote>`, with offsets of that text in the turn. */
export function extractQuotes(text: string): { text: string; start: number; end: number }[] {
  return findQuoteSpans(text).map(({ text: inner, start, end }) => ({ text: inner, start, end }));
}

/**
 * Result of checking one quote. Offsets are in the original passage, present only when verified, and run from the
 * first to the last matched letter or digit (punctuation around the match is not included).
 */
export interface QuoteCheck {
  verified: boolean;
  start?: number;
  end?: number;
}

/** Checks one quote against the passage the verifier was built for. */
export type QuoteVerifier = (quote: string) => QuoteCheck;

/** A text reduced to its letters/digits, with a map back to the original offsets. */
interface Normalised {
  chars: string;
  /** Original offset of the character each normalised character came from. */
  starts: Int32Array;
  /** Original offset just past that character. */
  ends: Int32Array;
  /** boundary[i] = 1 when normalised position i (before chars[i]; i may equal chars.length) is a word boundary. */
  boundary: Uint8Array;
  hasWildcard: boolean;
}

// Non-ASCII characters are rare in the passages but normalize() is slow, so each distinct one is worked out once.
// Capped so a long-running server fed arbitrary quotes cannot grow it without bound.
const nonAsciiCache = new Map<string, string>();
const NON_ASCII_CACHE_LIMIT = 20_000;

function normaliseNonAscii(ch: string): string {
  let out = nonAsciiCache.get(ch);
  if (out !== undefined) return out;
  out = "";
  for (const c of ch.toLowerCase().normalize("NFKD")) {
    if (MARK.test(c)) continue; // accents vanish without splitting the word
    out += WORD_CHAR.test(c) ? c : SEP;
  }
  if (nonAsciiCache.size >= NON_ASCII_CACHE_LIMIT) nonAsciiCache.clear();
  nonAsciiCache.set(ch, out);
  return out;
}

/** Working arrays of {@link normalise}; a shared set serves quotes, which only need the resulting string. */
interface Buffers {
  codes: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  boundary: Uint8Array;
}

function allocate(capacity: number): Buffers {
  return {
    codes: new Uint16Array(capacity),
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    boundary: new Uint8Array(capacity + 1),
  };
}

// Reused for every quote, so checking one allocates little more than its normalised string.
let quoteBuffers = allocate(1024);

/**
 * Reduces text to the comparison stream. `wildcards` keeps U+FFFD as a one-character word of its own. With
 * `shared`, the offset arrays of the result are only valid until the next shared call.
 */
function normalise(text: string, wildcards: boolean, shared = false): Normalised {
  // Sized for the common case (at most one output unit per input unit), grown if NFKD expands a character.
  const initial = shared && quoteBuffers.codes.length > text.length ? quoteBuffers : allocate(text.length + 1);
  if (shared) quoteBuffers = initial;
  let { codes, starts, ends, boundary } = initial;
  let capacity = codes.length;
  let n = 0;
  let pendingBoundary = true;
  let hasWildcard = false;

  const grow = (): void => {
    const next = allocate(capacity * 2);
    next.codes.set(codes);
    next.starts.set(starts);
    next.ends.set(ends);
    next.boundary.set(boundary);
    if (shared) quoteBuffers = next;
    ({ codes, starts, ends, boundary } = next);
    capacity = codes.length;
  };

  for (let i = 0; i < text.length; ) {
    let code = text.charCodeAt(i);
    if (code < 128) {
      if (code >= 65 && code <= 90) code += 32;
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
        if (n + 1 >= capacity) grow();
        codes[n] = code;
        starts[n] = i;
        ends[n] = i + 1;
        boundary[n] = pendingBoundary ? 1 : 0;
        n += 1;
        pendingBoundary = false;
      } else pendingBoundary = true;
      i += 1;
      continue;
    }
    const width = (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    if (ch === REPLACEMENT_CHAR) {
      if (wildcards) {
        if (n + 1 >= capacity) grow();
        codes[n] = code;
        starts[n] = i;
        ends[n] = i + width;
        boundary[n] = 1;
        n += 1;
        hasWildcard = true;
      }
      pendingBoundary = true;
    } else {
      const mapped = normaliseNonAscii(ch);
      for (let k = 0; k < mapped.length; k++) {
        const unit = mapped.charCodeAt(k);
        if (unit === 32) {
          pendingBoundary = true;
          continue;
        }
        if (n + 1 >= capacity) grow();
        codes[n] = unit;
        starts[n] = i;
        ends[n] = i + width;
        boundary[n] = pendingBoundary ? 1 : 0;
        n += 1;
        pendingBoundary = false;
      }
    }
    i += width;
  }
  boundary[n] = 1;

  let chars = "";
  for (let k = 0; k < n; k += 8192) chars += String.fromCharCode(...codes.subarray(k, Math.min(n, k + 8192)));
  return {
    chars,
    starts: starts.subarray(0, n),
    ends: ends.subarray(0, n),
    boundary: boundary.subarray(0, n + 1),
    hasWildcard,
  };
}

/** Whether text has at least `min` whitespace-separated chunks containing a letter or digit (a hot path). */
function hasWords(text: string, min: number): boolean {
  let n = 0;
  let counted = false; // the current chunk already counted
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let space: boolean;
    let word: boolean;
    if (code < 128) {
      space = code === 32 || (code >= 9 && code <= 13);
      word = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i) as number);
      if (ch.length === 2) i += 1;
      space = WHITESPACE.test(ch);
      word = WORD_CHAR.test(ch);
    }
    if (space) counted = false;
    else if (word && !counted) {
      counted = true;
      n += 1;
      if (n >= min) return true;
    }
  }
  return n >= min;
}

/** A hash of up to `length` normalised characters from `from`, kept within V8's small-integer range. */
function keyHash(chars: string, from: number, length: number): number {
  let h = 0;
  for (let k = from; k < from + length; k++) h = (h * 31 + chars.charCodeAt(k)) & 0x3fffffff;
  return h;
}

/**
 * Word-start positions keyed by a hash of the next `keyLength` normalised characters (collisions are harmless:
 * every candidate is compared in full). Starts whose window holds U+FFFD go apart.
 */
interface StartIndex {
  keyLength: number;
  byKey: Map<number, number[]>;
  /** Starts whose key window contains U+FFFD: a quote may match there with a different key, so always try them. */
  wildcardStarts: number[];
}

function buildIndex(norm: Normalised, wordStarts: readonly number[], keyLength: number): StartIndex {
  const byKey = new Map<number, number[]>();
  const wildcardStarts: number[] = [];
  const { chars } = norm;
  for (const start of wordStarts) {
    if (norm.hasWildcard && chars.slice(start, start + keyLength).includes(REPLACEMENT_CHAR)) {
      wildcardStarts.push(start);
      continue;
    }
    // Too close to the end for a key: no quote long enough to use this index fits there.
    if (start + keyLength > chars.length) continue;
    const key = keyHash(chars, start, keyLength);
    const list = byKey.get(key);
    if (list) list.push(start);
    else byKey.set(key, [start]);
  }
  return { keyLength, byKey, wildcardStarts };
}

/**
 * Matches `q` at normalised position `from`, where U+FFFD may stand for zero or one character. Returns the end
 * position (a word boundary) or -1. Runs as a set of positions, so many wildcards cannot blow up.
 */
function matchWithWildcards(norm: Normalised, q: string, from: number): number {
  const { chars, boundary } = norm;
  let states = [from];
  for (let k = 0; k < q.length && states.length > 0; k++) {
    const qc = q[k];
    const next: number[] = [];
    for (let s = 0; s < states.length; s++) {
      let p = states[s] as number;
      // Epsilon moves: each wildcard may also match nothing — but not before the first character, so a match
      // never starts with a wildcard standing for nothing (the later word start reports the tighter span).
      while (p < chars.length) {
        const pc = chars[p];
        if (pc === qc || pc === REPLACEMENT_CHAR) {
          if (!next.includes(p + 1)) next.push(p + 1);
        }
        if (pc !== REPLACEMENT_CHAR || k === 0) break;
        p += 1;
      }
    }
    states = next;
  }
  let best = -1;
  for (const p of states) if (boundary[p] === 1 && p > best) best = p;
  return best;
}

/**
 * Builds a verifier for one passage. The normalised passage and its word-start indexes are built once here,
 * so each quote costs roughly its own length plus the few candidate positions sharing its first characters.
 */
export function createQuoteVerifier(passage: string): QuoteVerifier {
  const norm = normalise(passage, true);
  const wordStarts: number[] = [];
  for (let i = 0; i < norm.chars.length; i++) if (norm.boundary[i] === 1) wordStarts.push(i);
  const longIndex = buildIndex(norm, wordStarts, LONG_KEY);
  const shortIndex = buildIndex(norm, wordStarts, SHORT_KEY);

  const matchAt = (q: string, from: number): number => {
    if (!norm.hasWildcard) {
      const end = from + q.length;
      return norm.chars.startsWith(q, from) && norm.boundary[end] === 1 ? end : -1;
    }
    return matchWithWildcards(norm, q, from);
  };

  const firstMatch = (q: string, candidates: readonly number[]): [number, number] | null => {
    for (const from of candidates) {
      const end = matchAt(q, from);
      if (end > from) return [from, end];
    }
    return null;
  };

  return (quote: string): QuoteCheck => {
    if (!hasWords(quote, MIN_QUOTE_WORDS)) return { verified: false };
    const q = normalise(quote, false, true).chars;
    if (q.length === 0) return { verified: false };

    let found: [number, number] | null;
    if (q.length >= SHORT_KEY) {
      const index = q.length >= LONG_KEY ? longIndex : shortIndex;
      const keyed = firstMatch(q, index.byKey.get(keyHash(q, 0, index.keyLength)) ?? []);
      const wild = firstMatch(q, index.wildcardStarts);
      // Both lists are ascending; report the earliest occurrence overall.
      found = keyed && wild ? (keyed[0] <= wild[0] ? keyed : wild) : (keyed ?? wild);
    } else {
      found = firstMatch(q, wordStarts);
    }
    if (!found) return { verified: false };
    const [from, end] = found;
    return { verified: true, start: norm.starts[from] as number, end: norm.ends[end - 1] as number };
  };
}

/** Checks every quote of a turn. Unverified quotes carry no offsets. */
export function verifyTurnQuotes(turnText: string, verify: QuoteVerifier): Quote[] {
  return extractQuotes(turnText).map(({ text }) => {
    const check = verify(text);
    return check.verified ? { text, verified: true, start: check.start, end: check.end } : { text, verified: false };
  });
}

/** A run of passage text, highlighted when some quote covers it. */
export interface PassageSegment {
  text: string;
  highlighted: boolean;
}

/**
 * Splits the passage into plain and highlighted runs covering it exactly, once, in order. Overlapping or touching
 * ranges merge; ranges are clamped to the passage and empty ones ignored.
 */
export function highlightSegments(
  passage: string,
  quotes: readonly { start: number; end: number }[],
): PassageSegment[] {
  const ranges = quotes
    .map(({ start, end }) => [Math.max(0, start), Math.min(passage.length, end)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);

  const segments: PassageSegment[] = [];
  let cursor = 0;
  let open: [number, number] | null = null;
  const flush = (): void => {
    if (!open) return;
    if (open[0] > cursor) segments.push({ text: passage.slice(cursor, open[0]), highlighted: false });
    segments.push({ text: passage.slice(open[0], open[1]), highlighted: true });
    cursor = open[1];
    open = null;
  };
  for (const [start, end] of ranges) {
    if (open && start <= open[1]) open[1] = Math.max(open[1], end);
    else {
      flush();
      open = [start, end];
    }
  }
  flush();
  if (cursor < passage.length) segments.push({ text: passage.slice(cursor), highlighted: false });
  return segments;
}
