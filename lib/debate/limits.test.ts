import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countWords, createLimitedStream, createSettledTracker, enforceWordLimit, settledPrefix } from "./limits";
import { extractQuotes } from "./quotes";

describe("countWords", () => {
  it("counts whitespace-separated words", () => {
    expect(countWords("")).toBe(0);
    expect(countWords("  one two\n\nthree\tfour  ")).toBe(4);
    expect(countWords("don't stop-now, ok?")).toBe(3);
  });

  it("counts quoted words but not the tags", () => {
    expect(countWords("He says <quote>the pail of air</quote>.")).toBe(6);
    expect(countWords("<quote>a</quote><quote>b</quote>")).toBe(2);
    expect(countWords("said<quote>hello there</quote>")).toBe(3);
    expect(countWords("<quote>unclosed words")).toBe(2);
  });

  it("does not count bare punctuation", () => {
    expect(countWords("yes — no … ok")).toBe(3);
  });
});

describe("enforceWordLimit", () => {
  it("leaves text within the limit untouched", () => {
    const text = "one two <quote>three four</quote> five";
    expect(enforceWordLimit(text, 5)).toEqual({ text, truncated: false, words: 5 });
  });

  it("cuts at a word boundary and appends an ellipsis", () => {
    expect(enforceWordLimit("one two three four five", 3)).toEqual({
      text: "one two three…",
      truncated: true,
      words: 3,
    });
    expect(enforceWordLimit("one,   two.\n\nthree four", 2).text).toBe("one,   two.…");
  });

  it("never cuts a quote in half: a quote that does not fit is dropped with the rest", () => {
    const text = "I argue <quote>the oxygen froze last of all</quote> and more.";
    const result = enforceWordLimit(text, 5);
    expect(result).toEqual({ text: "I argue…", truncated: true, words: 2 });
    expect(extractQuotes(result.text)).toEqual([]);
    expect(enforceWordLimit(text, 8)).toEqual({
      text: "I argue <quote>the oxygen froze last of all</quote>…",
      truncated: true,
      words: 8,
    });
  });

  it("keeps earlier whole quotes", () => {
    const text = "<quote>a b</quote> c <quote>d e f</quote> g";
    const result = enforceWordLimit(text, 4);
    expect(result.text).toBe("<quote>a b</quote> c…");
    expect(extractQuotes(result.text).map((q) => q.text)).toEqual(["a b"]);
  });

  it("can drop everything when the first quote is too long", () => {
    expect(enforceWordLimit("<quote>one two three</quote>", 2)).toEqual({ text: "…", truncated: true, words: 0 });
  });

  it("returns a count that matches countWords of the result", () => {
    const text = "alpha <quote>beta gamma</quote> delta — epsilon zeta eta <quote>theta</quote> iota";
    for (let limit = 0; limit <= 12; limit++) {
      const result = enforceWordLimit(text, limit);
      expect(result.words).toBeLessThanOrEqual(limit);
      expect(countWords(result.text)).toBe(result.words);
    }
  });
});

describe("createLimitedStream", () => {
  /** Streams `text` in `cuts` pieces; returns every forwarded chunk, the last from `finish`. */
  function stream(text: string, limit: number, cuts: number[]) {
    const gate = createLimitedStream(limit);
    const chunks: string[] = [];
    const stored = enforceWordLimit(text, limit).text;
    let at = 0;
    for (const cut of [...cuts.filter((c) => c > 0 && c < text.length)].sort((a, b) => a - b).concat(text.length)) {
      const forwarded = gate.push(text.slice(at, cut));
      if (forwarded) chunks.push(forwarded);
      // What the judge has at any moment is part of the stored turn, and never more words than the limit.
      expect(stored.startsWith(gate.text)).toBe(true);
      expect(countWords(gate.text)).toBeLessThanOrEqual(limit);
      at = cut;
    }
    const last = gate.finish(stored);
    if (last) chunks.push(last);
    return { chunks, stored, gate };
  }

  it("forwards at most the limit, and exactly the stored turn once finished", () => {
    const { chunks, stored, gate } = stream(
      `${"word ".repeat(400)}end.`,
      50,
      Array.from({ length: 401 }, (_, i) => i * 5),
    );
    expect(chunks.join("")).toBe(stored);
    expect(countWords(chunks.join(""))).toBe(50);
    expect(gate.over).toBe(true);
  });

  it("holds back an open quote until it closes, and drops one that does not fit", () => {
    const fits = stream("one two <quote>three four</quote> five six", 6, [3, 10, 17, 24, 30, 36]);
    expect(fits.chunks.join("")).toBe(fits.stored);
    const text = `one two <quote>${"q ".repeat(10)}</quote> after`;
    const gate = createLimitedStream(5);
    gate.push(text.slice(0, 20));
    expect(gate.text).toBe("one two");
    gate.push(text.slice(20));
    expect(gate.text).toBe("one two");
    expect(gate.over).toBe(true);
    expect(gate.finish(enforceWordLimit(text, 5).text)).toBe("…");
  });

  it("says when the turn is over the limit before its end is written", () => {
    const gate = createLimitedStream(3);
    gate.push("a b c ");
    expect(gate.over).toBe(false);
    gate.push("d ");
    expect(gate.over).toBe(true);
  });

  it("never forwards a word the stored turn will not have, however the stream is cut (property)", () => {
    const piece = fc.constantFrom("word", "x", " ", "  ", "\n", "<quote>", "</quote>", "<quo", "te>", "—", ".", "é");
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }).map((parts) => parts.join("")),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 20 }),
        (text, limit, cuts) => {
          const { chunks, stored } = stream(text, limit, cuts);
          expect(chunks.join("")).toBe(stored);
        },
      ),
      { seed: 14, numRuns: 500 },
    );
  });
});

describe("createSettledTracker", () => {
  const piece = fc.constantFrom(
    "word",
    "x",
    " ",
    "  ",
    "\n",
    "<quote>",
    "</quote>",
    "<QUOTE>",
    "<quo",
    "te>",
    "</",
    "—",
    ".",
    "é",
  );

  it("gives settledPrefix of the whole text after every delta, however the stream is cut (property)", () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 80 }).map((parts) => parts.join("")),
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.nat({ max: 500 }), { maxLength: 30 }),
        (text, limit, cuts) => {
          const pushed = createSettledTracker(limit);
          let at = 0;
          for (const cut of [...cuts.filter((c) => c > 0 && c < text.length)]
            .sort((a, b) => a - b)
            .concat(text.length)) {
            const expected = settledPrefix(text.slice(0, cut), limit);
            expect(pushed.push(text.slice(at, cut))).toEqual(expected);
            expect(pushed.over).toBe(expected.over);
            at = cut;
          }
        },
      ),
      { seed: 16, numRuns: 2000 },
    );
  });

  it("starts over after a reset (a retried stream)", () => {
    const tracker = createSettledTracker(3);
    expect(tracker.push("a b c d e ").over).toBe(true);
    tracker.reset();
    expect(tracker.push("a ")).toEqual(settledPrefix("a ", 3));
    expect(tracker.push("z <quote>b c</quote> d ")).toEqual(settledPrefix("a z <quote>b c</quote> d ", 3));
  });
});
