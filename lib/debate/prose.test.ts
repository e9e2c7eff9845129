import { describe, expect, it } from "vitest";
import { proseParagraphs } from "./prose";

const PASSAGE = "Ada had kept the light\nfor ten years.\n\nBen only visited\nin summer.";

describe("proseParagraphs", () => {
  it("joins hard line breaks inside a paragraph and splits on blank lines", () => {
    const paragraphs = proseParagraphs(PASSAGE, []);
    expect(paragraphs.map((p) => p.pieces.map((piece) => piece.text).join(""))).toEqual([
      "Ada had kept the light for ten years.",
      "Ben only visited in summer.",
    ]);
    expect(paragraphs[1]?.offset).toBe(PASSAGE.indexOf("Ben"));
  });

  it("cuts runs at quotes, keeping passage offsets, owners and start anchors", () => {
    const start = PASSAGE.indexOf("kept");
    const quotes = [
      { key: "a", owner: "A", start, end: PASSAGE.indexOf("\nfor") },
      { key: "b", owner: "B", start: PASSAGE.indexOf("light"), end: PASSAGE.indexOf("years") },
    ];
    const [first] = proseParagraphs(PASSAGE, quotes);
    const marked = first?.pieces.filter((p) => p.quotes.length > 0) ?? [];
    expect(marked.map((p) => [p.text, p.owners, p.starts])).toEqual([
      ["kept the ", ["A"], ["a"]],
      ["light", ["A", "B"], ["b"]],
      [" for ten ", ["B"], []],
    ]);
    for (const piece of marked) expect(PASSAGE.slice(piece.offset).replace("\n", " ")).toContain(piece.text);
  });

  it("anchors a quote that spans a paragraph break in each paragraph's first run only once", () => {
    const quotes = [{ key: "x", owner: "A", start: PASSAGE.indexOf("ten"), end: PASSAGE.indexOf("only") }];
    const starts = proseParagraphs(PASSAGE, quotes).flatMap((p) => p.pieces.flatMap((piece) => piece.starts));
    expect(starts).toEqual(["x"]);
  });
});
