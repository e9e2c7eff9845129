import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractQuotes } from "../debate/quotes";
import type { DebateImportInput } from "./debate-schema";
import { convertNyuRelease, NYU_GPT4_SPEC } from "./nyu-2023";
import { parseDebateFile } from "./parse-debates";

// Six real rooms of the NYU 2023 release (CC BY 4.0; see tests/fixtures/nyu-2023/README.md).
const fixture = path.resolve(import.meta.dirname, "..", "..", "tests", "fixtures", "nyu-2023");

function byId(debates: DebateImportInput[], id: string): DebateImportInput {
  const debate = debates.find((d) => d.id === id);
  if (!debate) throw new Error(`no debate ${id}`);
  return debate;
}

describe("NYU 2023 converter", () => {
  const live = convertNyuRelease(fixture);
  const withOffline = convertNyuRelease(fixture, { offlineJudges: true });

  it("converts the finished, live-judged rooms and says why it skipped the others", () => {
    expect(live.rooms).toBe(6);
    expect(live.debates.map((d) => d.id).sort()).toEqual([
      "the-absurdity-of-family-love-1",
      "the-absurdity-of-family-love-2",
      "the-absurdity-of-family-love-5",
      "the-absurdity-of-family-love-7",
    ]);
    expect(live.skipped).toEqual([
      { id: "pied-piper-of-mars-4", reason: "no live judge" },
      { id: "the-absurdity-of-family-love-0", reason: "not finished (status InProgress)" },
    ]);
  });

  it("produces lines the debate import format accepts", () => {
    const content = withOffline.debates.map((d) => JSON.stringify(d)).join("\n");
    const parsed = parseDebateFile(content);
    expect(parsed.errors).toEqual([]);
    expect(parsed.debates).toHaveLength(withOffline.debates.length);
  });

  it("keeps a human debate's seats, speakers, judge probabilities and gold answer", () => {
    const debate = byId(live.debates, "the-absurdity-of-family-love-1");
    expect(debate).toMatchObject({
      protocol: "interactive",
      condition: "human-debate",
      question: {
        text: "What is NOT a scientific concept that is directly addressed in the article?",
        gold: 1,
      },
      passage: { title: "The Absurdity of Family Love" },
      debaters: [
        { seat: "A", option: 0, name: "Tazzy Tumbleweed" },
        { seat: "B", option: 1, name: "Osmanth Oatcake" },
      ],
      judge: { id: "Fizzlewick Fandango", kind: "human" },
      verdict: { probabilities: [0.99, 0.010000000000000009] },
      tags: ["human-debate", "in-paper", "live-judge"],
      meta: { room: "the-absurdity-of-family-love-1", includedInPaper: true, endedBy: "JudgeDecided" },
    });
    // Round 1 is simultaneous; both seats speak every round.
    const turns = debate.turns ?? [];
    expect(
      turns
        .filter((t) => t.round === 1)
        .map((t) => t.speaker)
        .sort(),
    ).toEqual(["A", "B"]);
    expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(["A", "B"]));
    // The prior (before any speech) is round 0; the last step ends the debate.
    const steps = debate.judgeSteps ?? [];
    expect(steps[0]?.round).toBe(0);
    expect(steps.at(-1)?.action).toBe("end");
  });

  it("seats a lone consultant in seat A with the option it argued", () => {
    const debate = byId(live.debates, "the-absurdity-of-family-love-2");
    expect(debate).toMatchObject({
      protocol: "consultancy",
      condition: "human-consultancy",
      debaters: [{ seat: "A", option: 1, name: "Tazzy Tumbleweed" }],
      judge: { id: "Razzle Rumplesnitz", kind: "human" },
      judgeSteps: [
        { round: 0, probabilities: [0.5, 0.5], action: "continue", message: "gonna be a tough debate..." },
        {
          round: 1,
          probabilities: [0.010000000000000009, 0.99],
          action: "end",
          message: "Yeah it does occur - gonna go B.",
        },
      ],
      verdict: { probabilities: [0.010000000000000009, 0.99], rounds: 1 },
    });
    expect(debate.turns?.map((t) => [t.round, t.speaker])).toEqual([[1, "A"]]);
  });

  it("records GPT-4 debaters by model", () => {
    const debate = byId(live.debates, "the-absurdity-of-family-love-5");
    expect(debate.condition).toBe("ai-debate");
    expect(debate.debaters).toEqual([
      { seat: "A", option: 0, model: NYU_GPT4_SPEC },
      { seat: "B", option: 1, model: NYU_GPT4_SPEC },
    ]);
    expect(byId(live.debates, "the-absurdity-of-family-love-7").condition).toBe("ai-consultancy");
  });

  it("agrees with the release's own scoring: reward = log2 p(correct) − 0.05 × rounds", () => {
    for (const debate of live.debates) {
      const meta = debate.meta as { judgeReward: number; numContinues: number };
      const { probabilities, rounds } = debate.verdict as { probabilities: [number, number]; rounds: number };
      expect(rounds).toBe(meta.numContinues);
      const pCorrect = probabilities[debate.question.gold] ?? 0;
      expect(Math.log2(pCorrect) - 0.05 * rounds).toBeCloseTo(meta.judgeReward, 9);
    }
  });

  it("turns quote spans into <quote> tags around the story's own text", () => {
    const debate = byId(live.debates, "the-absurdity-of-family-love-2");
    const quotes = extractQuotes(debate.turns?.[0]?.text ?? "");
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(debate.passage?.text).toContain(quote.text);
  });

  it("adds offline judges as debates of their own when asked", () => {
    const stepped = byId(withOffline.debates, "the-absurdity-of-family-love-7/offline/Kiki Kiwifruit");
    expect(stepped).toMatchObject({
      condition: "ai-consultancy-offline",
      judge: { id: "Kiki Kiwifruit", kind: "human" },
      judgeSteps: [
        { round: 0, probabilities: [0.5, 0.5], action: "continue" },
        { round: 1, probabilities: [0.05000000000000003, 0.95], action: "end" },
      ],
      verdict: { rounds: 1 },
    });
    const timed = byId(withOffline.debates, "pied-piper-of-mars-4/offline/Jolly Jumblebee");
    const lastRound = Math.max(...(timed.turns ?? []).map((t) => t.round));
    expect(timed.judgeSteps).toHaveLength(1);
    expect(timed.verdict).toMatchObject({ probabilities: [0.7, 0.3000000000000001], rounds: lastRound });
    expect(withOffline.skipped).toEqual([
      { id: "the-absurdity-of-family-love-0", reason: "not finished (status InProgress)" },
    ]);
  });
});
