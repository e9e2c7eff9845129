/**
 * Sentence splitting that never rewrites the passage: every sentence is `passage.slice(start, end)`, so a quoted
 * sentence verifies verbatim. Tolerates text rebuilt from tokens ("word , word ." and PTB `` '' quotes).
 */

/** A sentence (or clause of an over-long sentence) as an exact span of the passage. */
export interface Sentence {
  text: string;
  start: number;
  end: number;
  /** Whitespace-separated words, as a rough length. */
  wordCount: number;
  /** Contains U+FFFD (a decoding error): legal to quote, but ugly, so rankers avoid it. */
  hasReplacementChar: boolean;
}

/** Longer sentences are cut at clause boundaries so ranking and quoting work on readable pieces. */
export const MAX_SENTENCE_WORDS = 45;

const ABBREVIATIONS = new Set(
  "mr mrs ms dr st jr sr prof gen capt col lt sgt maj cmdr adm rev gov sen rep vs etc no vol fig approx dept est inc ltd co".split(
    " ",
  ),
);

// A terminator run, then closing quotes/brackets; PTB closing '' may follow after a space ("end . ''").
const TERMINATOR = /[.!?…]+(?:["”’)\]]|\s?'')*(?=\s|$)/g;

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function isAbbreviation(block: string, dot: number): boolean {
  if (block[dot] !== ".") return false;
  const before = /([\p{L}.]+)\s?$/u.exec(block.slice(Math.max(0, dot - 12), dot))?.[1] ?? "";
  if (/^\p{Lu}$/u.test(before)) return true; // an initial: "J. Smith"
  if (/^(?:\p{L}\.)+\p{L}$/u.test(before)) return true; // "U.S" in "U.S. copyright", "e.g"
  return ABBREVIATIONS.has(before.toLowerCase());
}

/** Splits one newline-free block into sentence spans (offsets relative to the block). */
function splitBlock(block: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (const m of block.matchAll(TERMINATOR)) {
    const end = m.index + m[0].length;
    if (isAbbreviation(block, m.index)) continue;
    // "etc. and so on", '"Why?" he asked': a lowercase continuation means the sentence goes on.
    if (/^\s+\p{Ll}/u.test(block.slice(end, end + 3))) continue;
    spans.push([start, end]);
    start = end;
  }
  if (start < block.length) spans.push([start, block.length]);
  return spans;
}

/** Cuts an over-long span at the clause boundary nearest its middle, recursively. */
function splitLong(text: string, start: number, end: number, out: Array<[number, number]>): void {
  const piece = text.slice(start, end);
  if (countWords(piece) <= MAX_SENTENCE_WORDS) {
    out.push([start, end]);
    return;
  }
  const middle = piece.length / 2;
  let best = -1;
  for (const m of piece.matchAll(/[;:,](?=\s)|\s[—–-]{1,2}(?=\s)|—/g)) {
    const cut = m.index + m[0].length;
    if (cut < piece.length * 0.2 || cut > piece.length * 0.8) continue;
    if (best < 0 || Math.abs(cut - middle) < Math.abs(best - middle)) best = cut;
  }
  if (best < 0) best = piece.indexOf(" ", Math.floor(middle));
  if (best <= 0) {
    out.push([start, end]);
    return;
  }
  splitLong(text, start, start + best, out);
  splitLong(text, start + best, end, out);
}

/** Splits a passage into trimmed sentence spans; whitespace-only pieces are dropped. */
export function splitSentences(passage: string): Sentence[] {
  const raw: Array<[number, number]> = [];
  for (const line of passage.matchAll(/[^\n]+/g)) {
    for (const [s, e] of splitBlock(line[0])) splitLong(passage, line.index + s, line.index + e, raw);
  }
  const sentences: Sentence[] = [];
  for (const [s, e] of raw) {
    const piece = passage.slice(s, e);
    const lead = piece.length - piece.trimStart().length;
    const text = piece.trim();
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    sentences.push({
      text,
      start: s + lead,
      end: s + lead + text.length,
      wordCount: countWords(text),
      hasReplacementChar: text.includes("\uFFFD"),
    });
  }
  return sentences;
}
