import { describe, expect, it } from "vitest";
import { createQuoteVerifier, extractQuotes, findQuoteSpans, highlightSegments, verifyTurnQuotes } from "./quotes";

const PASSAGE = [
  "The Absurdity of Family Love",
  "",
  "Don't get me wrong. Kids are great. I have some, and I adore them. Every Christmas I become a slave",
  "to my camcorder. \u201cTiny tots with their eyes all aglow,\u201d and so on. The same goes for love of kin",
  "generally - brothers, sisters, nephews, etc.. She ran to the category store ; he ran home .",
].join("\n");

/** The passage text a verified quote points at. */
function located(passage: string, quote: string): string | null {
  const check = createQuoteVerifier(passage)(quote);
  if (!check.verified || check.start === undefined || check.end === undefined) return null;
  return passage.slice(check.start, check.end);
}

describe("extractQuotes", () => {
  it("returns inner text with offsets into the turn", () => {
    const turn = 'As it says, <quote>Kids are great</quote> and <QUOTE>I adore them</QUOTE>. Also "plain".';
    const quotes = extractQuotes(turn);
    expect(quotes.map((q) => q.text)).toEqual(["Kids are great", "I adore them"]);
    for (const q of quotes) expect(turn.slice(q.start, q.end)).toBe(q.text);
  });

  it("ignores unclosed tags and stray closing tags", () => {
    expect(extractQuotes("<quote>never closed")).toEqual([]);
    expect(extractQuotes("stray</quote> end")).toEqual([]);
    // An opening tag followed by another opening tag is unclosed; the later one pairs with the close.
    const turn = "<quote>dangling <quote>real one</quote>";
    expect(extractQuotes(turn).map((q) => q.text)).toEqual(["real one"]);
    expect(findQuoteSpans(turn)[0]).toMatchObject({ outerStart: 16, outerEnd: turn.length });
  });

  it("keeps quotes spanning line breaks", () => {
    expect(extractQuotes("<quote>a\nb</quote>")).toEqual([{ text: "a\nb", start: 7, end: 10 }]);
  });
});

describe("createQuoteVerifier", () => {
  it("verifies exact quotes and maps offsets back to the original passage", () => {
    expect(located(PASSAGE, "Kids are great")).toBe("Kids are great");
    expect(located(PASSAGE, "I have some, and I adore them")).toBe("I have some, and I adore them");
  });

  it("ignores case, whitespace, quote style and punctuation spacing", () => {
    expect(located(PASSAGE, "kids   ARE\tgreat")).toBe("Kids are great");
    expect(located(PASSAGE, '"Tiny tots with their eyes all aglow," and so on')).toBe(
      "Tiny tots with their eyes all aglow,\u201d and so on",
    );
    expect(located(PASSAGE, "don\u2019t get me wrong")).toBe("Don't get me wrong");
    expect(located(PASSAGE, "do n't get me wrong")).toBe("Don't get me wrong");
    expect(located(PASSAGE, "generally \u2014 brothers ,sisters , nephews")).toBe(
      "generally - brothers, sisters, nephews",
    );
    expect(located(PASSAGE, "category store; he ran home.")).toBe("category store ; he ran home");
  });

  it("verifies a quote that spans a line break in the passage", () => {
    expect(located(PASSAGE, "I become a slave to my camcorder")).toBe("I become a slave\nto my camcorder");
  });

  it("rejects near misses", () => {
    const verify = createQuoteVerifier(PASSAGE);
    expect(verify("Kids are grand").verified).toBe(false);
    expect(verify("Kids are really great").verified).toBe(false);
    expect(verify("I adore them all").verified).toBe(false);
    expect(verify("she ran home").verified).toBe(false);
  });

  it("only matches on word boundaries", () => {
    const verify = createQuoteVerifier(PASSAGE);
    expect(verify("he ran to the category").verified).toBe(false); // inside "She ran"
    expect(verify("the cat").verified).toBe(false); // inside "the category"
    expect(located(PASSAGE, "he ran home")).toBe("he ran home");
  });

  it("refuses empty and one-word quotes", () => {
    const verify = createQuoteVerifier(PASSAGE);
    expect(verify("").verified).toBe(false);
    expect(verify("   ").verified).toBe(false);
    expect(verify("Kids").verified).toBe(false);
    expect(verify("... --").verified).toBe(false);
    expect(verify("Kids are").verified).toBe(true);
  });

  it("reports the earliest of several occurrences", () => {
    const passage = "one two three. One two three again.";
    expect(createQuoteVerifier(passage)("one two three")).toEqual({ verified: true, start: 0, end: 13 });
  });

  it("lets U+FFFD in the passage stand for zero or one character", () => {
    const passage = "She ordered at the caf\uFFFD near the \uFFFDold mill\uFFFD\uFFFD and left.";
    expect(located(passage, "ordered at the caf\u00e9 near")).toBe("ordered at the caf\uFFFD near");
    expect(located(passage, "at the cafe near")).toBe("at the caf\uFFFD near");
    expect(located(passage, "near the \u201cold mill\u201d and left")).toBe(
      "near the \uFFFDold mill\uFFFD\uFFFD and left",
    );
    expect(located(passage, "the caf near")).toBe("the caf\uFFFD near");
    expect(createQuoteVerifier(passage)("the cafes near").verified).toBe(false);
  });

  it("folds accents", () => {
    expect(located("A na\u00efve r\u00e9sum\u00e9 here.", "naive resume")).toBe("na\u00efve r\u00e9sum\u00e9");
  });

  it("expands compatibility characters such as ligatures", () => {
    // Each ligature is one character that becomes several, so the stream outgrows the text.
    const passage = "\ufb03\ufb03\ufb03\ufb03 the \ufb01nal \ufb02ight of the day";
    expect(located(passage, "the final flight of")).toBe("the \ufb01nal \ufb02ight of");
    expect(located("\ufb00\ufb00 ok then", "ffff ok then")).toBe("\ufb00\ufb00 ok then");
  });

  it("finds short quotes below the index key length", () => {
    expect(located("Go on. I a b c.", "I a")).toBe("I a");
    expect(located(PASSAGE, "so on")).toBe("so on");
  });

  it("is reusable across many quotes", () => {
    const verify = createQuoteVerifier(PASSAGE);
    const results = ["Kids are great", "nope not here", "the same goes for love of kin"].map(verify);
    expect(results.map((r) => r.verified)).toEqual([true, false, true]);
  });
});

describe("verifyTurnQuotes", () => {
  it("checks every quote in a turn", () => {
    const verify = createQuoteVerifier(PASSAGE);
    const turn = "See <quote>Kids are great</quote>, not <quote>Kids are awful</quote>. <quote>unclosed";
    const quotes = verifyTurnQuotes(turn, verify);
    expect(quotes).toHaveLength(2);
    expect(quotes[0]).toMatchObject({ text: "Kids are great", verified: true });
    expect(PASSAGE.slice(quotes[0]?.start, quotes[0]?.end)).toBe("Kids are great");
    expect(quotes[1]).toEqual({ text: "Kids are awful", verified: false });
  });
});

describe("highlightSegments", () => {
  it("covers the passage exactly once, merging overlaps", () => {
    const passage = "0123456789";
    const segments = highlightSegments(passage, [
      { start: 6, end: 8 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
    ]);
    expect(segments).toEqual([
      { text: "0", highlighted: false },
      { text: "1234", highlighted: true },
      { text: "5", highlighted: false },
      { text: "67", highlighted: true },
      { text: "89", highlighted: false },
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(passage);
  });

  it("handles no quotes, whole-passage quotes and out-of-range or empty ranges", () => {
    expect(highlightSegments("abc", [])).toEqual([{ text: "abc", highlighted: false }]);
    expect(highlightSegments("abc", [{ start: -5, end: 50 }])).toEqual([{ text: "abc", highlighted: true }]);
    expect(highlightSegments("abc", [{ start: 2, end: 2 }])).toEqual([{ text: "abc", highlighted: false }]);
    expect(highlightSegments("", [{ start: 0, end: 1 }])).toEqual([]);
  });
});
