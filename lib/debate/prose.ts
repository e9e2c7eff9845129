/**
 * A passage laid out as prose for reading, with quoted ranges marked. Stories come with hard line breaks inside
 * paragraphs (Project Gutenberg's 70-column lines, NYU's release); only a blank line starts a new paragraph, and a
 * single line break reads as a space. Offsets stay those of the stored passage, so quotes' `start`/`end` apply.
 */

/** A range of the passage quoted by someone: `key` names the quote, `owner` who quoted it (a seat). */
export interface ProseQuote {
  key: string;
  owner: string;
  start: number;
  end: number;
}

/** A run of a paragraph: its text (line breaks already turned into spaces) and the quotes covering it. */
export interface ProsePiece {
  /** Offset of the run in the passage. */
  offset: number;
  text: string;
  /** Keys of the quotes covering the run, in the order they were given. */
  quotes: string[];
  /** Owners of those quotes, without repeats. */
  owners: string[];
  /** Keys of the quotes that start at this run (anchors to jump to). */
  starts: string[];
}

export interface ProseParagraph {
  offset: number;
  pieces: ProsePiece[];
}

const PARAGRAPH_BREAK = /\n[ \t]*\n\s*/g;

/** Splits `passage` into paragraphs of runs, cut wherever a quote starts or ends. Empty paragraphs are dropped. */
export function proseParagraphs(passage: string, quotes: readonly ProseQuote[]): ProseParagraph[] {
  const valid = quotes
    .map((q) => ({ ...q, start: Math.max(0, q.start), end: Math.min(passage.length, q.end) }))
    .filter((q) => q.end > q.start);
  const paragraphs: ProseParagraph[] = [];
  let from = 0;
  for (const match of passage.matchAll(PARAGRAPH_BREAK)) {
    paragraphs.push(paragraph(passage, from, match.index, valid));
    from = match.index + match[0].length;
  }
  paragraphs.push(paragraph(passage, from, passage.length, valid));
  // Each quote is anchored at the first run it covers (a quote may span a paragraph break).
  const anchored = new Set<string>();
  for (const piece of paragraphs.flatMap((p) => p.pieces)) {
    piece.starts = piece.quotes.filter((key) => !anchored.has(key));
    for (const key of piece.starts) anchored.add(key);
  }
  return paragraphs.filter((p) => p.pieces.some((piece) => piece.text.trim() !== ""));
}

function paragraph(passage: string, from: number, to: number, quotes: readonly ProseQuote[]): ProseParagraph {
  const cuts = new Set([from, to]);
  for (const q of quotes) {
    if (q.start > from && q.start < to) cuts.add(q.start);
    if (q.end > from && q.end < to) cuts.add(q.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: ProsePiece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const covering = quotes.filter((q) => q.start < end && q.end > start);
    pieces.push({
      offset: start,
      text: passage.slice(start, end).replace(/[ \t]*\r?\n[ \t]*/g, " "),
      quotes: covering.map((q) => q.key),
      owners: [...new Set(covering.map((q) => q.owner))],
      starts: [],
    });
  }
  return { offset: from, pieces };
}
