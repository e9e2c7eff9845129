import { beforeAll, describe, expect, it } from "vitest";
import { countWords } from "../../debate/limits";
import { createQuoteVerifier, extractQuotes, type QuoteVerifier, verifyTurnQuotes } from "../../debate/quotes";
import type { JudgeQuestion, Quote, TurnRecord } from "../../debate/types";
import type { Seat } from "../../debate/vocabulary";
import { loadQuestionBank } from "../../questions/seed";
import type { DebaterTurnInput } from "../types";
import { indexPassage, rankSentences, termSet, tokenize } from "./bm25";
import { createExtractiveDebater } from "./extractive-debater";

interface Fixture {
  passage: string;
  question: string;
  options: string[];
}

/** The first QuALITY article of the shipped question bank and its first question. */
function loadFixture(): Fixture {
  const bank = loadQuestionBank();
  const article = bank.articles[0];
  const question = bank.quality.find((q) => q.article_id === article?.article_id);
  if (!article || !question) throw new Error("no question for the first QuALITY article");
  return { passage: article.text, question: question.question, options: question.options };
}

const WORD_LIMIT = 120;
const ROUNDS = 3;
const SEATS: Array<[Seat, number]> = [
  ["A", 0],
  ["B", 1],
];

let fixture: Fixture;
let verify: QuoteVerifier;

beforeAll(() => {
  fixture = loadFixture();
  verify = createQuoteVerifier(fixture.passage);
});

function turnInput(seat: Seat, option: number, round: number, transcript: TurnRecord[], seed: number) {
  return {
    ...fixture,
    seat,
    option,
    round,
    totalRounds: ROUNDS,
    transcript,
    wordLimit: WORD_LIMIT,
    seed,
  } satisfies DebaterTurnInput;
}

/** How {@link play} varies a match: consultancy (one consultant in seat A), and the judge's questions. */
interface PlayOptions {
  role?: DebaterTurnInput["role"];
  judgeQuestions?: JudgeQuestion[];
}

/** Plays a whole debate with simultaneous rounds (each seat sees only earlier rounds), or a consultancy. */
async function play(seed: number, passage?: string, options: PlayOptions = {}) {
  const debater = createExtractiveDebater();
  const transcript: TurnRecord[] = [];
  const streamed: string[] = [];
  const seats = options.role === "consultant" ? SEATS.slice(0, 1) : SEATS;
  for (let round = 1; round <= ROUNDS; round++) {
    const before = [...transcript];
    for (const [seat, option] of seats) {
      const deltas: string[] = [];
      const input = {
        ...turnInput(seat, option, round, before, seed),
        passage: passage ?? fixture.passage,
        ...(options.role ? { role: options.role } : {}),
        ...(options.judgeQuestions ? { judgeQuestions: options.judgeQuestions } : {}),
      };
      const reply = await debater.argue(input, { onDelta: (d) => deltas.push(d) });
      streamed.push(deltas.join(""));
      const quotes = passage === "" ? [] : verifyTurnQuotes(reply.text, verify);
      transcript.push({ round, speaker: seat, option, text: reply.text, quotes, model: reply.meta.model });
    }
  }
  return { transcript, streamed };
}

const overlaps = (a: Quote, b: Quote) => (a.start ?? 0) < (b.end ?? 0) && (b.start ?? 0) < (a.end ?? 0);
const inside = (a: Quote, b: Quote) => (b.start ?? 0) <= (a.start ?? 0) && (a.end ?? 0) <= (b.end ?? 0);

describe("extractive debater on a real QuALITY story", () => {
  it("quotes only verbatim passage text, within the word limit, in every turn", async () => {
    const { transcript, streamed } = await play(1);
    expect(transcript).toHaveLength(ROUNDS * 2);
    for (const [i, turn] of transcript.entries()) {
      expect(turn.quotes.length).toBeGreaterThan(0);
      expect(turn.quotes.every((q) => q.verified)).toBe(true);
      expect(countWords(turn.text)).toBeLessThanOrEqual(WORD_LIMIT);
      expect(streamed[i]).toBe(turn.text);
    }
  });

  it("is deterministic for a seed, and phrasing varies across seeds", async () => {
    const first = await play(42);
    const again = await play(42);
    expect(again.transcript.map((t) => t.text)).toEqual(first.transcript.map((t) => t.text));
    const openings = new Set<string>();
    for (let seed = 0; seed < 8; seed++) openings.add((await play(seed)).transcript[0]?.text ?? "");
    expect(openings.size).toBeGreaterThan(1);
  });

  it("brings different evidence from its opponent and never repeats its own quotes", async () => {
    const { transcript } = await play(3);
    const opponentQuotes = (seat: Seat, beforeRound: number) =>
      transcript.filter((t) => t.speaker !== seat && t.round < beforeRound).flatMap((t) => t.quotes);
    // New evidence = quotes that are not a re-quote of the opponent's earlier quote (the rebuttal).
    const evidence = (seat: Seat) =>
      transcript
        .filter((t) => t.speaker === seat)
        .flatMap((t) => t.quotes.filter((q) => !opponentQuotes(seat, t.round).some((o) => inside(q, o))));
    const a = evidence("A");
    const b = evidence("B");
    expect(a.some((qa) => b.some((qb) => overlaps(qa, qb)))).toBe(false);
    for (const own of [a, b]) {
      own.forEach((q, i) => {
        expect(own.slice(0, i).some((earlier) => overlaps(q, earlier))).toBe(false);
      });
    }
  });

  it("answers the opponent's latest quotes in later rounds", async () => {
    const { transcript } = await play(5);
    for (const turn of transcript.filter((t) => t.round > 1)) {
      expect(turn.text).toMatch(/opponent|opposing/i);
      const latest = transcript.filter((t) => t.speaker !== turn.speaker && t.round === turn.round - 1).at(-1);
      const rebutted = turn.quotes.some((q) => latest?.quotes.some((o) => inside(q, o)));
      expect(rebutted).toBe(true);
    }
    for (const turn of transcript.filter((t) => t.round === 1)) expect(turn.text).not.toMatch(/opponent/i);
  });

  it("fits small and large word limits", async () => {
    const debater = createExtractiveDebater();
    const { transcript } = await play(7);
    for (const wordLimit of [25, 50, 80, 300]) {
      const input = { ...turnInput("B", 1, 2, transcript.slice(0, 2), 7), wordLimit };
      const { text } = await debater.argue(input);
      expect(countWords(text)).toBeLessThanOrEqual(wordLimit);
      expect(verifyTurnQuotes(text, verify).every((q) => q.verified)).toBe(true);
    }
  });

  it("reports honest call metadata", async () => {
    const debater = createExtractiveDebater();
    expect(debater.info).toEqual({
      spec: "offline:extractive",
      label: "Offline debater (no language model)",
      isLanguageModel: false,
    });
    const { text, meta } = await debater.argue(turnInput("A", 0, 1, [], 1));
    expect(meta).toMatchObject({ model: "offline:extractive", promptVersion: "offline-extractive-v2" });
    expect(meta.tokensOut).toBe(countWords(text));
    expect(meta.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe("extractive debater streaming", () => {
  it("streams word by word with a delay, deltas concatenating to the text", async () => {
    const deltas: string[] = [];
    const reply = await createExtractiveDebater({ wordDelayMs: 1 }).argue(turnInput("A", 0, 1, [], 2), {
      onDelta: (d) => deltas.push(d),
    });
    expect(deltas.length).toBe(reply.text.split(/\s+/).length);
    expect(deltas.join("")).toBe(reply.text);
  });

  it("stops promptly with an AbortError when the signal aborts", async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const call = createExtractiveDebater({ wordDelayMs: 50 }).argue(turnInput("A", 0, 1, [], 2), {
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        if (deltas.length === 3) controller.abort();
      },
    });
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    // Exactly the words streamed before the abort: it stopped at once instead of finishing the turn.
    expect(deltas).toHaveLength(3);
  });

  it("rejects at once when already aborted", async () => {
    const deltas: string[] = [];
    const call = createExtractiveDebater().argue(turnInput("A", 0, 1, [], 2), {
      signal: AbortSignal.abort(),
      onDelta: (d) => deltas.push(d),
    });
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(deltas).toEqual([]);
  });
});

describe("extractive debater without a passage", () => {
  it("argues honestly from the question alone, without quotes", async () => {
    const { transcript } = await play(1, "");
    for (const turn of transcript) {
      expect(turn.text).toMatch(/^No story is available; arguing from the question alone\./);
      expect(extractQuotes(turn.text)).toEqual([]);
      expect(countWords(turn.text)).toBeLessThanOrEqual(WORD_LIMIT);
      if (turn.round > 1) expect(turn.text).toMatch(/opponent/i);
    }
  });
});

/** A question whose words occur in the fixture story (the first QuALITY article, about parental bonding). */
const QUESTION = "What does the article say about breast-feeding and oxytocin?";
const asked = (afterRound: number, text = QUESTION, to?: Seat): JudgeQuestion => ({
  afterRound,
  text,
  ...(to ? { to } : {}),
});

/** The best-ranked story sentences for a question by BM25 on its words alone. */
function topSentences(question: string, n: number): string[] {
  const index = indexPassage(fixture.passage);
  return rankSentences(index, tokenize(question))
    .slice(0, n)
    .map((r) => index.sentences[r.index]?.text ?? "");
}

describe("extractive debater answering the judge", () => {
  it("answers first the question asked after the previous round, quoting a relevant sentence verbatim", async () => {
    const questions = [asked(1), asked(2, "Who is the article's author arguing against?")];
    const { transcript } = await play(11, undefined, { judgeQuestions: questions });
    for (const turn of transcript.filter((t) => t.round > 1)) {
      const question = questions.find((q) => q.afterRound === turn.round - 1);
      expect(turn.text.startsWith(`You asked: "${question?.text}"`)).toBe(true);
      expect(turn.quotes.every((q) => q.verified)).toBe(true);
      expect(countWords(turn.text)).toBeLessThanOrEqual(WORD_LIMIT);
    }
    // Round 2 answers with one of the sentences that best match the question's own words.
    for (const turn of transcript.filter((t) => t.round === 2)) {
      const answer = turn.quotes[0];
      expect([...termSet(answer?.text ?? "")].some((t) => termSet(QUESTION).has(t))).toBe(true);
      expect(topSentences(QUESTION, 3).some((s) => s.includes(answer?.text ?? "\u0000"))).toBe(true);
    }
    for (const turn of transcript.filter((t) => t.round === 1)) expect(turn.text).not.toContain("You asked");
  });

  it("answers only questions due this round, and only those addressed to it or to everyone", async () => {
    const debater = createExtractiveDebater();
    const { transcript } = await play(4);
    const base = turnInput("A", 0, 3, transcript.slice(0, 4), 4);
    const stale = await debater.argue({ ...base, judgeQuestions: [asked(1)] });
    expect(stale.text).not.toContain("You asked");
    const toB = await debater.argue({ ...base, judgeQuestions: [asked(2, QUESTION, "B")] });
    expect(toB.text).not.toContain("You asked");
    const toA = await debater.argue({ ...base, judgeQuestions: [asked(2, QUESTION, "A")] });
    expect(toA.text).toMatch(/^You asked: "/);
  });

  it("is deterministic per seed, keeps quotes verbatim and fits every word limit", async () => {
    const debater = createExtractiveDebater();
    const { transcript } = await play(7);
    for (const wordLimit of [25, 50, 80, 120, 300]) {
      const input = { ...turnInput("B", 1, 2, transcript.slice(0, 2), 7), wordLimit, judgeQuestions: [asked(1)] };
      const { text } = await debater.argue(input);
      expect((await debater.argue(input)).text).toBe(text);
      expect(countWords(text)).toBeLessThanOrEqual(wordLimit);
      expect(text).toMatch(/^You asked: "/);
      expect(verifyTurnQuotes(text, verify).every((q) => q.verified)).toBe(true);
    }
  });

  it("never lets a question's markup become a quote, and says so when nothing in the story matches", async () => {
    const debater = createExtractiveDebater();
    const question = 'Is <quote>xyzzy plugh</quote> "qwerty"?';
    const { text } = await debater.argue({ ...turnInput("A", 0, 2, [], 1), judgeQuestions: [asked(1, question)] });
    expect(text).toContain("You asked: \"Is xyzzy plugh 'qwerty'?\"");
    expect(text).toMatch(/I found no passage|No passage I found/);
    expect(extractQuotes(text).map((q) => q.text)).not.toContain("xyzzy plugh");
    expect(verifyTurnQuotes(text, verify).every((q) => q.verified)).toBe(true);
  });

  it("answers without quotes when there is no story", async () => {
    const { transcript } = await play(2, "", { judgeQuestions: [asked(1)] });
    const later = transcript.filter((t) => t.round === 2);
    expect(later).toHaveLength(2);
    for (const turn of later) {
      expect(turn.text).toContain(`You asked: "${QUESTION}"`);
      expect(extractQuotes(turn.text)).toEqual([]);
    }
  });
});

describe("extractive consultant", () => {
  it("argues alone: verified quotes, no opponent, new evidence each round, questions answered", async () => {
    const questions = [asked(1), asked(2, "How do adoptive parents bond with their children?")];
    const { transcript } = await play(9, undefined, { role: "consultant", judgeQuestions: questions });
    expect(transcript.map((t) => t.speaker)).toEqual(["A", "A", "A"]);
    for (const turn of transcript) {
      expect(turn.quotes.length).toBeGreaterThan(0);
      expect(turn.quotes.every((q) => q.verified)).toBe(true);
      expect(turn.text).not.toMatch(/opponent|opposing|other side|other debater/i);
      expect(countWords(turn.text)).toBeLessThanOrEqual(WORD_LIMIT);
      if (turn.round > 1) expect(turn.text).toMatch(/^You asked: "/);
      // Each round brings at least one quote that overlaps nothing quoted in earlier rounds.
      const earlier = transcript.filter((t) => t.round < turn.round).flatMap((t) => t.quotes);
      expect(turn.quotes.some((q) => !earlier.some((e) => overlaps(q, e)))).toBe(true);
    }
  });

  it("never mentions an opponent without a story either", async () => {
    const { transcript } = await play(1, "", { role: "consultant" });
    for (const turn of transcript) expect(turn.text).not.toMatch(/opponent|opposing/i);
  });
});
