import { expect, type Page } from "@playwright/test";
import { z } from "zod";
import { createDb } from "../../lib/db/client";

/**
 * Helpers shared by the browser specs: capture everything the page receives, click through the judge's rounds,
 * and check that nothing secret arrived before the verdict.
 */

/** Every websocket frame and HTTP response body the page received, and those that arrived before the verdict. */
export interface Traffic {
  received: string[];
  beforeVerdict: string[];
  /** Call just before submitting the verdict: later arrivals may legitimately hold the story and the answer. */
  markVerdictSubmitted(): void;
}

/** Starts recording a page's traffic; call before the first navigation so nothing is missed. */
export function captureTraffic(page: Page): Traffic {
  const received: string[] = [];
  const beforeVerdict: string[] = [];
  let verdictSubmitted = false;
  const record = (text: string, before: boolean) => {
    received.push(text);
    if (before) beforeVerdict.push(text);
  };
  page.on("websocket", (ws) => ws.on("framereceived", (frame) => record(String(frame.payload), !verdictSubmitted)));
  page.on("response", async (response) => {
    // Static code bundles hold no data (and their minified code legitimately contains words like "correct").
    if (response.url().includes("/_next/static/")) return;
    // Decided on arrival: the body is read asynchronously, possibly after the verdict was submitted.
    const before = !verdictSubmitted;
    const body = await response.body().catch(() => Buffer.alloc(0));
    record(body.toString("utf8"), before);
  });
  return {
    received,
    beforeVerdict,
    markVerdictSubmitted() {
      verdictSubmitted = true;
    },
  };
}

/** Waits until round `round` is over: both debaters' turns of every round so far are shown, quotes checked. */
export async function judgeRound(page: Page, round: number, rounds = 3): Promise<void> {
  await expect(page.getByRole("heading", { name: new RegExp(`^Round ${round} of ${rounds}`) })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId("turn")).toHaveCount(round * 2);
  await expect(page.locator('[data-quote-state="pending"]')).toHaveCount(0);
  expect(await page.locator('[data-quote-state="verified"]').count()).toBeGreaterThan(0);
}

/**
 * Plays a three-round match from the open match page to the reveal, as a judge: 60% then 65% on the option shown
 * on the slider's right with "Next round", then a 70% verdict with an explanation. `afterRound` runs once each
 * round's turns are all shown, before the judge acts.
 */
export async function playToVerdict(
  page: Page,
  traffic: Traffic,
  options: { explanation: string; afterRound?: (round: number) => Promise<void> },
): Promise<void> {
  for (const round of [1, 2]) {
    await judgeRound(page, round);
    await options.afterRound?.(round);
    await page.getByRole("slider").fill(round === 1 ? "60" : "65");
    await page.getByRole("button", { name: "Next round" }).click();
  }
  await judgeRound(page, 3);
  await options.afterRound?.(3);
  // The last round goes straight to the verdict form.
  await expect(page.getByRole("button", { name: "Next round" })).toHaveCount(0);
  await page.getByRole("slider").fill("70");
  await expect(page.getByTestId("p-right")).toHaveText("70%");
  await page.getByLabel("Why? (optional)").fill(options.explanation);
  traffic.markVerdictSubmitted();
  await page.getByRole("button", { name: "Submit verdict" }).click();

  await expect(page.getByRole("status").filter({ hasText: /You were right|Not this time/ })).toBeVisible();
  await expect(page.getByTestId("score")).toHaveText(/^-?\d+\.\d{3}$/);
  const passage = page.getByRole("article", { name: "The story" });
  await expect(passage).toBeVisible();
  expect(await passage.locator("mark").count()).toBeGreaterThan(0);
}

/** The match on the current page as stored (question, passage, verdict, turns), from the e2e server's database. */
export async function storedMatch(page: Page) {
  const matchId = page.url().split("/match/")[1] ?? "";
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    return await db.match.findUniqueOrThrow({
      where: { id: matchId },
      include: {
        question: { include: { passage: true } },
        verdict: true,
        turns: true,
        modelCalls: { orderBy: { createdAt: "asc" } },
      },
    });
  } finally {
    await db.$disconnect();
  }
}

/**
 * Checks what the browser received before the verdict against the stored secrets: no story (its first and last
 * 300 characters), no gold or correctness field, no reveal, and none of `secrets` (e.g. API keys) at any time;
 * and that the reveal did arrive after the verdict, with the stored verdict and the correct answer shown.
 */
export async function expectNothingLeakedBeforeVerdict(
  page: Page,
  traffic: Traffic,
  match: Awaited<ReturnType<typeof storedMatch>>,
  options: { secrets?: string[] } = {},
): Promise<void> {
  const story = match.question.passage?.text ?? "";
  expect(story.length).toBeGreaterThan(1000);
  const early = traffic.beforeVerdict.join("\n");
  expect(early.length).toBeGreaterThan(1000);
  expect(early).not.toContain(story.slice(0, 300));
  expect(early).not.toContain(story.slice(-300));
  expect(early).not.toMatch(/\\?"(gold|correct)\\?":/);
  expect(early).not.toMatch(/\\?"reveal\\?":\{/);
  const all = traffic.received.join("\n");
  for (const secret of options.secrets ?? []) expect(all).not.toContain(secret);
  // And afterwards the reveal did arrive.
  expect(all).toMatch(/"gold":\d/);
  // The judge put 70% on the option shown on the slider's right (options are shown in a per-match order).
  const { optionOrder } = z.object({ optionOrder: z.array(z.number()).default([0, 1]) }).parse(match.config);
  expect(match.verdict?.chosen).toBe(optionOrder[1]);
  await expect(page.getByTestId("gold-answer")).toHaveText(
    (JSON.parse(JSON.stringify(match.question.options)) as string[])[match.question.gold] ?? "",
  );
}
