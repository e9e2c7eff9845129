import { describe, expect, it } from "vitest";
import { indexPassage, rankSentences, splitSentences, tokenize } from "./bm25";
import { rankEvidence, sideTerms } from "./evidence";

describe("splitSentences", () => {
  it("keeps exact passage substrings, including text rebuilt from tokens", () => {
    const passage =
      "Mr. Brown came home , tired . `` Where is the air ? '' he asked.\n\nThe pail was empty! Dr. Lee said so.";
    const sentences = splitSentences(passage);
    expect(sentences.map((s) => s.text)).toEqual([
      "Mr. Brown came home , tired .",
      "`` Where is the air ? '' he asked.",
      "The pail was empty!",
      "Dr. Lee said so.",
    ]);
    for (const s of sentences) expect(passage.slice(s.start, s.end)).toBe(s.text);
  });

  it("cuts over-long sentences at clause boundaries", () => {
    const long = Array.from({ length: 30 }, (_, i) => `word${i} word${i}b`).join(", ");
    const pieces = splitSentences(`${long}.`);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.wordCount).toBeLessThanOrEqual(45);
  });

  it("flags U+FFFD, and evidence ranking prefers clean sentences", () => {
    const passage = "The caf\uFFFD served frozen oxygen to miners. The cafe served frozen oxygen to the miners.";
    const [dirty, clean] = splitSentences(passage);
    expect(dirty?.hasReplacementChar).toBe(true);
    expect(clean?.hasReplacementChar).toBe(false);
    const terms = sideTerms("What did the cafe serve?", ["frozen oxygen", "hot tea"], 0);
    expect(rankEvidence(passage, terms, [])[0]?.text).toBe(clean?.text);
  });
});

describe("BM25", () => {
  it("tokenises to lowercase stems without stopwords", () => {
    expect(tokenize("The lights were protected by the Fathers")).toEqual(["light", "protect", "father"]);
  });

  it("ranks the sentence sharing rare query terms first, and caches the index", () => {
    const passage = "Oxygen froze on top. Nitrogen froze below the oxygen. The boy fetched air in a pail.";
    const index = indexPassage(passage);
    expect(indexPassage(passage)).toBe(index);
    const ranked = rankSentences(index, tokenize("Where did the nitrogen freeze?"));
    expect(ranked[0]?.index).toBe(1);
    expect(ranked.every((r) => r.score > 0)).toBe(true);
  });
});
