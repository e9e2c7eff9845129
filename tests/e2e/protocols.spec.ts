import { expect, type Page, test } from "@playwright/test";
import {
  captureTraffic,
  expectNothingLeakedBeforeVerdict,
  playToVerdict,
  startMatch,
  storedMatch,
  submitVerdict,
} from "./support";

/**
 * A guest plays each protocol other than plain debate (play-debate.spec.ts) by clicking through the UI, with the
 * offline debaters. Every websocket frame and HTTP response is captured: before the verdict none may hold the
 * correct answer, nor the story — except in the expert protocol, whose judge reads the story by design.
 */

/** Asked in round 1. Ends in "?" and holds no double quotes, so the debaters echo it verbatim. */
const QUESTION = "What happens at the very end of the story?";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** One round of the transcript, by its "Round N" heading. */
function transcriptRound(page: Page, round: number) {
  return page
    .getByRole("list", { name: "Transcript" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: `Round ${round}`, exact: true }) });
}

/**
 * The question typed with round 1's "Next round" is shown after round 1 as the judge's question, and every turn
 * of round 2 opens by addressing it (the offline debaters echo it first).
 */
async function expectQuestionAnswered(page: Page, speakers: number): Promise<void> {
  const asked = transcriptRound(page, 1).getByTestId("judge-question");
  await expect(asked).toHaveText(`You asked: ${QUESTION}`);
  await expect(page.getByTestId("judge-question")).toHaveCount(1);
  const opening = new RegExp(`^${escapeRegExp(`You asked: "${QUESTION}"`)}`);
  await expect(transcriptRound(page, 2).getByTestId("turn").getByRole("paragraph")).toHaveText(
    Array.from({ length: speakers }, () => opening),
  );
  // Round 1 came before the question: nothing there answers it.
  for (const text of await transcriptRound(page, 1).getByTestId("turn").getByRole("paragraph").allTextContents()) {
    expect(text).not.toContain("You asked");
  }
}

test("interactive debate: the judge's question reaches both debaters' next turns", async ({ page }) => {
  const traffic = captureTraffic(page);
  await startMatch(page, "Interactive debate");
  await expect(page.getByText(/^Interactive debate · /)).toBeVisible();

  await playToVerdict(page, traffic, {
    explanation: "Both debaters answered my question.",
    beforeNextRound: async (round) => {
      if (round === 1) await page.getByLabel("Ask the debaters something for the next round (optional)").fill(QUESTION);
    },
    afterRound: async (round) => {
      if (round === 2) await expectQuestionAnswered(page, 2);
    },
  });

  const match = await storedMatch(page);
  expect(match.turns).toHaveLength(6);
  // Stored as round 1's step message, and each round-2 turn as stored opens with the answer to it.
  for (const turn of match.turns.filter((t) => t.round === 2)) expect(turn.text).toMatch(/^You asked: "/);
  await expectNothingLeakedBeforeVerdict(page, traffic, match);
});

test("consultancy: one consultant answers the judge, and the reveal says whether it argued the truth", async ({
  page,
}) => {
  const traffic = captureTraffic(page);
  await startMatch(page, "Consultancy");
  // One seat, called "Consultant", never "Debater A/B".
  const seats = page.getByRole("listitem").filter({ hasText: /^Consultant argues “/ });
  await expect(seats).toHaveCount(1);
  await expect(page.getByText("The consultant is assigned the correct answer only half the time.")).toBeVisible();
  await expect(page.getByText(/Debater [AB]/)).toHaveCount(0);

  await playToVerdict(page, traffic, {
    explanation: "The consultant's quotes were verified.",
    speakers: 1,
    beforeNextRound: async (round) => {
      if (round === 1) {
        await page.getByLabel("Ask the consultant something for the next round (optional)").fill(QUESTION);
      }
    },
    afterRound: async (round) => {
      // Only the consultant spoke in every round so far.
      const headers = await page.getByTestId("turn").locator("header").allTextContents();
      expect(headers).toHaveLength(round);
      for (const header of headers) expect(header).toMatch(/^Consultant for “/);
      if (round === 2) await expectQuestionAnswered(page, 1);
    },
  });

  await expect(page.getByText(/Debater [AB]/)).toHaveCount(0);
  const match = await storedMatch(page);
  expect(match.turns).toHaveLength(3);
  expect(match.turns.every((t) => t.speaker === "A")).toBe(true);
  // Whether the consultant was honest is stored with the match, never sent to the judge before the verdict.
  expect(traffic.beforeVerdict.join("\n")).not.toMatch(/\\?"honest\\?":/);
  const honest = match.turns[0]?.option === match.question.gold;
  await expect(page.getByRole("status").filter({ hasText: /You were right|Not this time/ })).toContainText(
    honest
      ? "The consultant was arguing the correct answer (consultants are assigned the correct answer half the time)."
      : "The consultant was arguing a wrong answer (consultants are assigned the correct answer half the time).",
  );
  await expectNothingLeakedBeforeVerdict(page, traffic, match);
});

test("naive judge: no AI help and no transcript, a verdict from the question alone", async ({ page }) => {
  const traffic = captureTraffic(page);
  await startMatch(page, "No help (naive judge)");
  await expect(page.getByText("No AI help in this format: decide from the question alone.")).toBeVisible();
  await expect(page.getByText(/a story you cannot see\.$/)).toBeVisible();
  // The judge decides at once: one judgement, no rounds, nobody speaking.
  await expect(page.getByRole("heading", { name: "How likely is each answer?" })).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText(/^The judge's turn\./);
  await expect(page.getByRole("list", { name: "Transcript" })).toHaveCount(0);
  await expect(page.getByTestId("turn")).toHaveCount(0);
  await expect(page.getByTestId("live-turn")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Next round" })).toHaveCount(0);
  await expect(page.getByText(/^The story: /)).toHaveCount(0);

  await submitVerdict(page, traffic, "A guess from the question alone.");
  await expect(page.getByRole("status").filter({ hasText: /You were right|Not this time/ })).toContainText(
    "after 1 round.",
  );

  const match = await storedMatch(page);
  expect(match.turns).toHaveLength(0);
  await expectNothingLeakedBeforeVerdict(page, traffic, match);
});

test("expert judge: reads the clearly labelled story before the verdict, but never receives the answer", async ({
  page,
}) => {
  const traffic = captureTraffic(page);
  await startMatch(page, "Expert judge (reads the story)");
  await expect(page.getByText("No AI help in this format: read the story below and decide.")).toBeVisible();
  await expect(page.getByTestId("turn")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Transcript" })).toHaveCount(0);

  // The story is open on the page, under a label saying what it is, before the verdict.
  const match = await storedMatch(page);
  const story = match.question.passage;
  if (!story) throw new Error("the expert's question has no story");
  await expect(page.getByText(`A question about “${story.title}”.`, { exact: false })).toBeVisible();
  const label = page.getByText(`The story: ${story.title}`, { exact: true });
  await expect(label).toBeVisible();
  const shown = page.getByRole("group").filter({ has: label });
  await expect(shown).toHaveCount(1);
  const shownText = shown.locator(".passage-text");
  await expect(shownText).toBeVisible();
  expect(await shownText.textContent()).toBe(story.text);
  await expect(page.getByTestId("gold-answer")).toHaveCount(0);

  await submitVerdict(page, traffic, "I read the story.");
  // After the verdict the story moves into the reveal, with the correct answer.
  await expect(label).toHaveCount(0);
  expect(await page.getByRole("article", { name: "The story" }).textContent()).toContain(story.text);

  await expectNothingLeakedBeforeVerdict(page, traffic, await storedMatch(page), { storyShown: true });
});
