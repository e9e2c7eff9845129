/**
 * Rebuilds running text from Penn-Treebank-style tokens (as in QuALITY / the NYU debate release, whose quotes are
 * token spans), keeping each token's character offsets so that a span of tokens maps to a substring of the text.
 */

const BRACKETS: Record<string, string> = {
  "-LRB-": "(",
  "-RRB-": ")",
  "-LSB-": "[",
  "-RSB-": "]",
  "-LCB-": "{",
  "-RCB-": "}",
  "``": '"',
  "''": '"',
};

/** Tokens written against the previous one: closing punctuation, closing quotes and clitics ('s, n't, 're…). */
const NO_SPACE_BEFORE = /^(?:[.,;:!?%)\]}]|\.\.\.|''|'[a-z]{1,2}|n't|-RRB-|-RSB-|-RCB-)$/i;
/** Tokens the next one is written against: opening brackets and quotes, currency. */
const NO_SPACE_AFTER = /^(?:[([{$#]|``|-LRB-|-LSB-|-LCB-)$/;

export interface Detokenized {
  text: string;
  /** Offset in `text` where each token starts, and where it ends. */
  starts: number[];
  ends: number[];
}

/** Joins tokens with single spaces except where punctuation attaches; "\n" tokens become line breaks. */
export function detokenize(tokens: readonly string[]): Detokenized {
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let previous: string | null = null;
  for (const token of tokens) {
    const isBreak = token.trim() === "" && token.includes("\n");
    const glue =
      previous === null ||
      isBreak ||
      text.endsWith("\n") ||
      NO_SPACE_BEFORE.test(token) ||
      (previous !== null && NO_SPACE_AFTER.test(previous));
    if (!glue) text += " ";
    starts.push(text.length);
    text += isBreak ? "\n" : (BRACKETS[token] ?? token);
    ends.push(text.length);
    previous = token;
  }
  return { text, starts, ends };
}

/** The text of tokens [start, end) (end exclusive), or null for an empty or out-of-range span. */
export function spanText(doc: Detokenized, start: number, end: number): string | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > doc.starts.length)
    return null;
  const from = doc.starts[start];
  const to = doc.ends[end - 1];
  if (from === undefined || to === undefined) return null;
  return doc.text.slice(from, to).trim() || null;
}
