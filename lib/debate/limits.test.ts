import { describe, expect, it } from "vitest";
import { countWords, enforceWordLimit } from "./limits";
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
